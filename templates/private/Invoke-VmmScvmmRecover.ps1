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

    $output = & $FilePath @ArgumentList 2>&1 | ForEach-Object { [string]$_ }
    [pscustomobject]@{
        ExitCode = $LASTEXITCODE
        Output   = [string[]]@($output)
    }
}
