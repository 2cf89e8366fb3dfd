function Invoke-VmmWbadmin {
    <#
    .SYNOPSIS
        Runs wbadmin.exe with its arguments passed as an array (never as a command string) and returns its exit
        code and output lines. The one place the module starts wbadmin; tests replace it with a mock.
    .PARAMETER ArgumentList
        The arguments, one element each (e.g. 'start', 'systemstatebackup', '-backupTarget:E:', '-quiet').
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string[]] $ArgumentList
    )

    $command = Get-Command -Name 'wbadmin.exe' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) {
        throw 'wbadmin.exe was not found. Install the Windows Server Backup feature (Install-WindowsFeature Windows-Server-Backup) on the VMM management server.'
    }
    # Under $ErrorActionPreference = 'Stop' (a caller's -ErrorAction Stop or a script's preference), Windows
    # PowerShell 5.1 turns the first line wbadmin writes to its redirected standard error into a terminating
    # error; the exit code decides here instead, as in PowerShell 7.
    $savedPreference = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = & $command.Source @ArgumentList 2>&1 | ForEach-Object { [string]$_ }
        $exitCode = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $savedPreference
    }
    [pscustomobject]@{
        ExitCode = $exitCode
        Output   = [string[]]@($output)
    }
}
