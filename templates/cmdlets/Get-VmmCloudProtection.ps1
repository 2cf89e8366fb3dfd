function Get-VmmCloudProtection {
    $model = Get-VmmObjectModel
    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $clouds = @(Get-SCCloud -VMMServer $connection -ErrorAction Stop)
    } catch {
        throw "Cannot list the private clouds of the VMM management server '$VMMServer': $($_.Exception.Message)"
    }
    foreach ($cloud in $clouds) {
        $cloudName = [string](Get-VmmPropertyValue $cloud $model.Cloud.NameProperty)
        try {
            $vms = @(Get-SCVirtualMachine -VMMServer $connection -Cloud $cloud -ErrorAction Stop)
        } catch {
            Write-Error -Message "Cannot list the virtual machines of cloud '$cloudName': $($_.Exception.Message)" -Category ReadError -TargetObject $cloudName
            continue
        }
        $unprotected = @($vms | Where-Object { -not (Test-VmmVMReplicated -VM $_ -Model $model) } | ForEach-Object { [string](Get-VmmPropertyValue $_ $model.VM.NameProperty) })
        $protectedCount = $vms.Count - $unprotected.Count
        if ($vms.Count -eq 0) {
            $recommendation = 'The cloud has no virtual machines; nothing to replicate now. Check again when VMs are deployed to it.'
        } elseif ($unprotected.Count -eq 0) {
            $recommendation = 'Every virtual machine of the cloud is replicated. Keep the Azure Site Recovery vault and its recovery plans up to date.'
        } else {
            $recommendation = ('Enable replication in Azure Site Recovery for {0} virtual machine(s) ({1}): to a secondary VMM site with Hyper-V Replica or SAN replication, or to Azure with Hyper-V Replica.' -f $unprotected.Count, ($unprotected -join ', '))
        }
        [pscustomobject][ordered]@{
            PSTypeName       = 'VmmBackup.CloudProtection'
            Cloud            = $cloudName
            VirtualMachines  = $vms.Count
            Protected        = $protectedCount
            Unprotected      = $unprotected.Count
            UnprotectedNames = [string[]]$unprotected
            Recommendation   = $recommendation
        }
    }
}
