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
    $output = & $command.Source @ArgumentList 2>&1 | ForEach-Object { [string]$_ }
    [pscustomobject]@{
        ExitCode = $LASTEXITCODE
        Output   = [string[]]@($output)
    }
}
