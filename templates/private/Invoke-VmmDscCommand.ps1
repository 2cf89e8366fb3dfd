function Invoke-VmmDscCommand {
    <#
    .SYNOPSIS
        Runs a public cmdlet of the module for a DSC resource's Set(), with its errors terminating and without
        confirmation prompts (a DSC engine cannot answer them).
    .DESCRIPTION
        The one place the DSC resources call into the cmdlets, so a test can replace it (or the cmdlet).
        Parameters are passed by splatting, never as text.
    .PARAMETER Name
        The cmdlet to run.
    .PARAMETER Parameters
        Its parameters.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Name,

        [Parameter(Mandatory = $true)]
        [hashtable] $Parameters
    )

    # Resolved by name, as any call would be, so an alias or function defined over the cmdlet (a test double)
    # takes effect.
    $command = Get-Command -Name $Name -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -ne $command -and $command.CommandType -eq [System.Management.Automation.CommandTypes]::Alias) {
        $command = $command.ResolvedCommand
    }
    if ($null -eq $command) {
        throw "The command $Name is not available. Import the VmmBackup module completely and try again."
    }
    $splat = @{} + $Parameters
    if ($null -ne $command.Parameters -and $command.Parameters.ContainsKey('Confirm')) {
        $splat['Confirm'] = $false
    }
    & $Name @splat -ErrorAction Stop
}
