function Sync-VmmInventory {
    begin {
        $model = Get-VmmObjectModel
        $connection = $null
        $quote = { param([string] $Value) "'" + ($Value -replace "'", "''") + "'" }
        $newResult = {
            param($Action, $ObjectType, $Name, $State, $Message)
            [pscustomobject][ordered]@{
                PSTypeName = 'VmmBackup.InventorySyncResult'
                Action     = $Action
                ObjectType = $ObjectType
                Name       = $Name
                State      = $State
                Message    = $Message
            }
        }
    }
    process {
        foreach ($difference in $InputObject) {
            $action = [string](Get-VmmPropertyValue $difference 'Action')
            $type = [string](Get-VmmPropertyValue $difference 'ObjectType')
            $name = [string](Get-VmmPropertyValue $difference 'Name')
            $vmHost = [string](Get-VmmPropertyValue $difference 'VMHost')
            if (@('Remove', 'Add') -notcontains $action -or @('Host', 'VirtualMachine') -notcontains $type -or -not $name) {
                Write-Error -Message 'Not an inventory difference (it needs Action Remove or Add, ObjectType Host or VirtualMachine, and Name): pipe the output of Compare-VmmInventory.' -Category InvalidArgument -TargetObject $difference
                continue
            }

            if ($action -eq 'Add') {
                if ($type -eq 'Host') {
                    $command = 'Add-SCVMHost -ComputerName {0} -Credential (Get-Credential)' -f (& $quote $name)
                    & $newResult $action $type $name 'ActionRequired' "Add the host that was added after the backup, with the credentials of an administrator on it (add -VMHostGroup to place it in its host group): $command"
                } else {
                    if ($vmHost) {
                        $command = 'Read-SCVMHost -VMHost (Get-SCVMHost -ComputerName {0})' -f (& $quote $vmHost)
                        & $newResult $action $type $name 'ActionRequired' "Refresh its host so VMM discovers the virtual machine added after the backup: $command"
                    } else {
                        & $newResult $action $type $name 'ActionRequired' 'Refresh the host that runs this virtual machine (Read-SCVMHost -VMHost (Get-SCVMHost -ComputerName <host>)) so VMM discovers it.'
                    }
                }
                continue
            }

            if ($null -eq $connection) { $connection = Get-VmmServerConnection -VMMServer $VMMServer }
            try {
                if ($type -eq 'Host') {
                    $target = @(Get-SCVMHost -VMMServer $connection -ComputerName $name -ErrorAction Stop)
                    if ($target.Count -eq 0) {
                        & $newResult $action $type $name 'Skipped' 'VMM no longer lists this host.'
                        continue
                    }
                    $state = [string](Get-VmmPropertyValue $target[0] $model.Host.StateProperty)
                    if ($state -ne $model.Host.NotResponding) {
                        & $newResult $action $type $name 'Skipped' "The host now shows $state, not $($model.Host.NotResponding): not removed. Compare the inventory again."
                        continue
                    }
                    if (-not $PSCmdlet.ShouldProcess($name, 'Remove the host and its virtual machines from VMM (Remove-SCVMHost -Force)')) { continue }
                    Remove-SCVMHost -VMHost $target[0] -Force -Confirm:$false -ErrorAction Stop
                } else {
                    $target = @(Get-SCVirtualMachine -VMMServer $connection -Name $name -ErrorAction Stop | Where-Object {
                            -not $vmHost -or [string](Get-VmmPropertyValue $_ $model.VM.HostProperty -AsName) -eq $vmHost
                        })
                    if ($target.Count -eq 0) {
                        & $newResult $action $type $name 'Skipped' 'VMM no longer lists this virtual machine.'
                        continue
                    }
                    if ($target.Count -gt 1) {
                        & $newResult $action $type $name 'Skipped' 'Several virtual machines have this name and no host tells them apart: remove the right one in the VMM console.'
                        continue
                    }
                    $state = [string](Get-VmmPropertyValue $target[0] $model.VM.StateProperty)
                    if ($state -ne $model.VM.Missing) {
                        & $newResult $action $type $name 'Skipped' "The virtual machine now shows $state, not $($model.VM.Missing): not removed. Compare the inventory again."
                        continue
                    }
                    if (-not $PSCmdlet.ShouldProcess($name, 'Remove the missing virtual machine from VMM (Remove-SCVirtualMachine -Force)')) { continue }
                    Remove-SCVirtualMachine -VM $target[0] -Force -Confirm:$false -ErrorAction Stop
                }
                & $newResult $action $type $name 'Succeeded' $null
            } catch {
                $message = "Cannot remove $type '$name' from VMM: $($_.Exception.Message)"
                Write-Error -Message $message -Category NotSpecified -TargetObject $name
                & $newResult $action $type $name 'Failed' $message
            }
        }
    }
}
