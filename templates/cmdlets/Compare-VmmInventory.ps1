function Compare-VmmInventory {
    $model = Get-VmmObjectModel
    $backup = Read-VmmInventorySnapshot -Path $Snapshot
    $now = $null
    if ($Current) {
        $now = Read-VmmInventorySnapshot -Path $Current
    } else {
        Write-Warning 'No -Current snapshot: hosts and virtual machines added after the backup cannot be found, so only Remove actions are returned. Export the inventory of what exists now (Export-VmmInventory) and pass it as -Current.'
    }

    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $hosts = @(Get-SCVMHost -VMMServer $connection -ErrorAction Stop)
        $vms = @(Get-SCVirtualMachine -VMMServer $connection -All -ErrorAction Stop)
    } catch {
        throw "Cannot read the hosts and virtual machines of the VMM management server '$VMMServer': $($_.Exception.Message)"
    }

    $restoredHosts = @{}
    foreach ($item in $hosts) { $restoredHosts[([string](Get-VmmPropertyValue $item $model.Host.NameProperty)).ToLowerInvariant()] = $item }
    $restoredVMs = @{}
    foreach ($item in $vms) {
        $key = '{0}|{1}' -f ([string](Get-VmmPropertyValue $item $model.VM.NameProperty)).ToLowerInvariant(), ([string](Get-VmmPropertyValue $item $model.VM.HostProperty -AsName)).ToLowerInvariant()
        $restoredVMs[$key] = $item
    }
    $backupHosts = @{}
    foreach ($item in $backup.hosts) { $backupHosts[([string]$item.name).ToLowerInvariant()] = $item }
    $currentHosts = @{}
    $currentVMs = @{}
    if ($now) {
        foreach ($item in $now.hosts) { $currentHosts[([string]$item.name).ToLowerInvariant()] = $item }
        foreach ($item in $now.virtualMachines) { $currentVMs[('{0}|{1}' -f ([string]$item.name).ToLowerInvariant(), ([string]$item.host).ToLowerInvariant())] = $item }
    }

    $unknown = @($restoredHosts.Keys | Where-Object { -not $backupHosts.ContainsKey($_) })
    if ($unknown.Count -gt 0) {
        Write-Warning ("The restored VMM lists {0} host(s) the backup-time snapshot does not ({1}): check that '{2}' was taken with the backup that was restored." -f $unknown.Count, ($unknown -join ', '), $Snapshot)
    }

    $newDifference = {
        param($Action, $ObjectType, $Name, $VMHost, $State, $Reason)
        [pscustomobject][ordered]@{
            PSTypeName = 'VmmBackup.InventoryDifference'
            Action     = $Action
            ObjectType = $ObjectType
            Name       = $Name
            VMHost     = $VMHost
            State      = $State
            Reason     = $Reason
        }
    }

    # Remove: hosts that show Not Responding because they were removed after the backup.
    $removedHosts = @{}
    foreach ($item in $hosts) {
        $name = [string](Get-VmmPropertyValue $item $model.Host.NameProperty)
        $state = [string](Get-VmmPropertyValue $item $model.Host.StateProperty)
        if ($state -ne $model.Host.NotResponding) { continue }
        if ($now -and $currentHosts.ContainsKey($name.ToLowerInvariant())) {
            Write-Verbose "Host '$name' shows $state but still exists (it is in the -Current snapshot): not removed."
            continue
        }
        if (-not $now -and [bool](Get-VmmPropertyValue $item $model.Host.PerimeterProperty)) {
            Write-Warning "Perimeter-network host '$name' shows $state, which is expected after a restore: reassociate it with Reset-VmmPerimeterHostPassword, or pass -Current to tell a removed host from one that still exists."
            continue
        }
        $removedHosts[$name.ToLowerInvariant()] = $true
        $vmCount = @($vms | Where-Object { [string](Get-VmmPropertyValue $_ $model.VM.HostProperty -AsName) -eq $name }).Count
        & $newDifference 'Remove' 'Host' $name $null $state ("The host shows Not Responding: it was removed after the backup. Its {0} virtual machine(s) show Host Not Responding and are removed with it." -f $vmCount)
    }
    # Remove: virtual machines that show Missing because they were removed after the backup.
    foreach ($item in $vms) {
        $name = [string](Get-VmmPropertyValue $item $model.VM.NameProperty)
        $vmHost = Get-VmmPropertyValue $item $model.VM.HostProperty -AsName
        $state = [string](Get-VmmPropertyValue $item $model.VM.StateProperty)
        if ($state -ne $model.VM.Missing) { continue }
        if ($vmHost -and $removedHosts.ContainsKey(([string]$vmHost).ToLowerInvariant())) { continue }
        if ($now -and $currentVMs.ContainsKey(('{0}|{1}' -f $name.ToLowerInvariant(), ([string]$vmHost).ToLowerInvariant()))) {
            Write-Verbose "Virtual machine '$name' shows $state but still exists (it is in the -Current snapshot): not removed."
            continue
        }
        & $newDifference 'Remove' 'VirtualMachine' $name $vmHost $state 'The virtual machine shows Missing on a host that responds: it was removed after the backup.'
    }

    if ($now) {
        # Add: hosts and virtual machines that exist now but are not in the restored VMM (added after the backup).
        $addedHosts = @{}
        foreach ($item in $now.hosts) {
            $name = [string]$item.name
            if ($restoredHosts.ContainsKey($name.ToLowerInvariant())) { continue }
            $addedHosts[$name.ToLowerInvariant()] = $true
            & $newDifference 'Add' 'Host' $name $null $null 'The host exists now but not in the restored VMM: it was added after the backup. Its virtual machines come with it.'
        }
        foreach ($item in $now.virtualMachines) {
            $name = [string]$item.name
            $vmHost = $item.host
            if ($vmHost -and $addedHosts.ContainsKey(([string]$vmHost).ToLowerInvariant())) { continue }
            if ($restoredVMs.ContainsKey(('{0}|{1}' -f $name.ToLowerInvariant(), ([string]$vmHost).ToLowerInvariant()))) { continue }
            & $newDifference 'Add' 'VirtualMachine' $name $vmHost $null 'The virtual machine exists now but not in the restored VMM: it was added after the backup.'
        }
    }
}
