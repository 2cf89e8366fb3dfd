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

    $command = Get-Command -Name $Name -CommandType Function, Cmdlet -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command) {
        throw "The command $Name is not available. Import the VmmBackup module completely and try again."
    }
    $splat = @{} + $Parameters
    if ($command.Parameters.ContainsKey('Confirm')) {
        $splat['Confirm'] = $false
    }
    & $command @splat -ErrorAction Stop
}
