function Switch-VmmLibraryServer {
    $model = Get-VmmObjectModel
    $quote = { param([string] $Value) "'" + ($Value -replace "'", "''") + "'" }
    $newResult = {
        param($Removed, $Added, $State, $Message)
        [pscustomobject][ordered]@{
            PSTypeName = 'VmmBackup.LibraryServerSwitch'
            Removed    = $Removed
            Added      = $Added
            State      = $State
            Message    = $Message
        }
    }
    $connection = Get-VmmServerConnection -VMMServer $VMMServer

    if ($SameName) {
        # Same name: the VMM agent is installed locally on the restored computer, then the computer is reassociated.
        $agentInstruction = "Install the VMM agent locally on $ComputerName (VMM Setup, Local Agent) before reassociating it."
        try {
            $computer = @(Get-SCVMMManagedComputer -VMMServer $connection -ComputerName $ComputerName -ErrorAction Stop)
        } catch {
            throw "Cannot read the managed computer '$ComputerName' from VMM: $($_.Exception.Message)"
        }
        if ($computer.Count -eq 0) {
            throw "VMM does not list '$ComputerName' as a managed computer. If the restored library server has a different name, use -OldComputerName and -NewComputerName instead."
        }
        if (-not $PSCmdlet.ShouldProcess($ComputerName, 'Reassociate the restored library server (Register-SCVMMManagedComputer)')) { return }
        try {
            $null = Register-SCVMMManagedComputer -VMMManagedComputer $computer[0] -Credential $Credential -ErrorAction Stop
        } catch {
            $message = "Cannot reassociate '$ComputerName': $($_.Exception.Message). $agentInstruction Then run: Switch-VmmLibraryServer -ComputerName $(& $quote $ComputerName) -SameName -Credential (Get-Credential)"
            Write-Error -Message $message -Category NotSpecified -TargetObject $ComputerName
            & $newResult $null $ComputerName 'Failed' $message
            return
        }
        & $newResult $null $ComputerName 'Succeeded' "Reassociated with this VMM management server. $agentInstruction (done beforehand, as the reassociation succeeded)."
        return
    }

    if ($OldComputerName -eq $NewComputerName) {
        throw "The old and new library servers are both '$OldComputerName'. For a restored library server that kept its name, use -ComputerName $OldComputerName -SameName."
    }
    try {
        $old = @(Get-SCLibraryServer -VMMServer $connection -ComputerName $OldComputerName -ErrorAction Stop)
        $existingNew = @(Get-SCLibraryServer -VMMServer $connection -ComputerName $NewComputerName -ErrorAction Stop)
    } catch {
        throw "Cannot read the library servers from VMM: $($_.Exception.Message)"
    }
    if ($old.Count -eq 0) {
        throw "VMM does not list '$OldComputerName' as a library server. List them with Get-SCLibraryServer and give the original one as -OldComputerName."
    }
    $oldName = [string](Get-VmmPropertyValue $old[0] $model.LibraryServer.NameProperty)
    if (-not $oldName) { $oldName = $OldComputerName }

    if (-not $PSCmdlet.ShouldProcess($oldName, 'Remove the original library server from VMM (Remove-SCLibraryServer)')) {
        if ($WhatIfPreference -and $existingNew.Count -eq 0) {
            $null = $PSCmdlet.ShouldProcess($NewComputerName, 'Add the computer as a library server (Add-SCLibraryServer)')
        }
        return
    }
    try {
        Remove-SCLibraryServer -LibraryServer $old[0] -Credential $Credential -Confirm:$false -ErrorAction Stop
    } catch {
        $message = "Cannot remove the library server '$oldName': $($_.Exception.Message). Nothing was changed."
        Write-Error -Message $message -Category NotSpecified -TargetObject $oldName
        & $newResult $null $null 'Failed' $message
        return
    }

    if ($existingNew.Count -gt 0) {
        & $newResult $oldName $null 'Succeeded' "'$NewComputerName' was already a library server: only '$oldName' was removed."
        return
    }
    if (-not $PSCmdlet.ShouldProcess($NewComputerName, 'Add the computer as a library server (Add-SCLibraryServer)')) {
        & $newResult $oldName $null 'ActionRequired' ("'$oldName' was removed; add the new library server: Add-SCLibraryServer -ComputerName {0} -Credential (Get-Credential)" -f (& $quote $NewComputerName))
        return
    }
    try {
        $null = Add-SCLibraryServer -VMMServer $connection -ComputerName $NewComputerName -Credential $Credential -ErrorAction Stop
    } catch {
        $message = ("'{0}' was removed, but adding '{1}' failed: {2}. Add it once the problem is fixed: Add-SCLibraryServer -ComputerName {3} -Credential (Get-Credential)" -f $oldName, $NewComputerName, $_.Exception.Message, (& $quote $NewComputerName))
        Write-Error -Message $message -Category NotSpecified -TargetObject $NewComputerName
        & $newResult $oldName $null 'Failed' $message
        return
    }
    & $newResult $oldName $NewComputerName 'Succeeded' $null
}
