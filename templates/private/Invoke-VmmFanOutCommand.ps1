function Invoke-VmmFanOutCommand {
    <#
    .SYNOPSIS
        Runs the calling public cmdlet, with the parameters it was given, on every server named by its -Session
        or -ComputerName (Invoke-VmmFanOut), and writes each server's results.
    .DESCRIPTION
        The one way a public cmdlet hands itself to several servers: it calls this first, when -Session or
        -ComputerName is bound, and returns. The caller's bound parameters are sent to each server (the fan-out
        parameters are Invoke-VmmFanOut's: Session, ComputerName, Credential, KeyFilePath, SshOption,
        ThrottleLimit, OperationTimeoutSec). With -ConfirmOnce, a cmdlet that changes something asks once here
        for all the servers (a remote session cannot ask), then each server runs with -Confirm:$false; under
        -WhatIf each server runs with -WhatIf.
    .PARAMETER Caller
        The $PSCmdlet of the public cmdlet: the command run on each server, whose errors and confirmation these are.
    .PARAMETER BoundParameters
        The caller's $PSBoundParameters.
    .PARAMETER ServerFolderParameter
        The parameter(s) naming a folder that each server gets its own sub-folder of (<folder>\<server>).
    .PARAMETER ConfirmOnce
        Ask the caller's confirmation once for all servers (cmdlets that change something).
    .PARAMETER NewFailedItem
        Builds the result of a server that could not run (Invoke-VmmFanOut's -NewFailedItem).
    .EXAMPLE
        if ($PSBoundParameters.ContainsKey('Session') -or $PSBoundParameters.ContainsKey('ComputerName')) {
            Invoke-VmmFanOutCommand -Caller $PSCmdlet -BoundParameters $PSBoundParameters -ServerFolderParameter Destination -ConfirmOnce
            return
        }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory = $true)]
        [System.Collections.Generic.Dictionary[string, object]] $BoundParameters,

        [string[]] $ServerFolderParameter = @(),

        [switch] $ConfirmOnce,

        [scriptblock] $NewFailedItem
    )

    $commandName = $Caller.MyInvocation.MyCommand.Name
    $fanOut = @{} + $BoundParameters
    if ($ConfirmOnce) {
        # The caller's -WhatIf (this function, called from it, sees the caller's $WhatIfPreference).
        if ($WhatIfPreference) {
            $fanOut.WhatIf = $true
        } else {
            # Confirmed here, once for all servers; a remote session cannot ask.
            $targets = @($BoundParameters['ComputerName']) + @($BoundParameters['Session'] | ForEach-Object { $_.ComputerName }) | Where-Object { $_ }
            if (-not $Caller.ShouldProcess(($targets -join ', '), "$commandName on each server")) { return }
            $fanOut.Confirm = $false
        }
    }
    $connection = @{}
    foreach ($name in 'Session', 'ComputerName', 'Credential', 'KeyFilePath', 'SshOption', 'ThrottleLimit', 'OperationTimeoutSec') {
        if ($BoundParameters.ContainsKey($name)) { $connection[$name] = $BoundParameters[$name] }
    }
    if ($null -ne $NewFailedItem) { $connection.NewFailedItem = $NewFailedItem }
    Invoke-VmmFanOut -Caller $Caller -CommandName $commandName -Parameters $fanOut -ServerFolderParameter $ServerFolderParameter @connection
}
