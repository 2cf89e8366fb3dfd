function Invoke-VmmScvmmRecover {
    <#
    .SYNOPSIS
        Runs SCVMMRecover.exe with the given arguments (an array, never a command string) and returns its exit
        code and output. The one place the module starts SCVMMRecover.exe; tests replace it with a mock.
    .PARAMETER FilePath
        Full path of SCVMMRecover.exe.
    .PARAMETER ArgumentList
        Arguments, one element each, e.g. @('-Path', 'D:\VmmBackup\VirtualManagerDB.bak', '-Confirm').
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $FilePath,

        [Parameter(Mandatory = $true)]
        [string[]] $ArgumentList
    )

    # Under $ErrorActionPreference = 'Stop', Windows PowerShell 5.1 turns the first line SCVMMRecover.exe writes to
    # its redirected standard error into a terminating error; the exit code decides here instead, as in 7.
    $savedPreference = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = & $FilePath @ArgumentList 2>&1 | ForEach-Object { [string]$_ }
        $exitCode = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $savedPreference
    }
    [pscustomobject]@{
        ExitCode = $exitCode
        Output   = [string[]]@($output)
    }
}
