function Repair-VmmHostAssociation {
    $model = Get-VmmObjectModel
    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $computers = @(Get-SCVMMManagedComputer -VMMServer $connection -ErrorAction Stop)
    } catch {
        throw "Cannot list the managed computers of the VMM management server '$VMMServer': $($_.Exception.Message)"
    }
    $matchesName = {
        param($Computer, [string] $Wanted)
        $fqdn = [string](Get-VmmPropertyValue $Computer $model.ManagedComputer.NameProperty)
        $short = ($fqdn -split '\.')[0]
        ($fqdn -eq $Wanted) -or ($short -eq $Wanted) -or ([string](Get-VmmPropertyValue $Computer 'Name') -eq $Wanted)
    }
    if ($ComputerName) {
        foreach ($wanted in $ComputerName) {
            if (-not ($computers | Where-Object { & $matchesName $_ $wanted })) {
                Write-Error -Message "VMM manages no computer named '$wanted'." -Category ObjectNotFound -TargetObject $wanted
            }
        }
        $computers = @($computers | Where-Object { $computer = $_; @($ComputerName | Where-Object { & $matchesName $computer $_ }).Count -gt 0 })
    }

    foreach ($computer in $computers) {
        $name = [string](Get-VmmPropertyValue $computer $model.ManagedComputer.NameProperty)
        $previous = [string](Get-VmmPropertyValue $computer $model.ManagedComputer.StateProperty)
        if ($previous -ne $model.ManagedComputer.AccessDenied) {
            if ($ComputerName) {
                [pscustomobject][ordered]@{
                    PSTypeName    = 'VmmBackup.ReassociationResult'
                    ComputerName  = $name
                    PreviousState = $previous
                    State         = 'Skipped'
                    Message       = "The computer shows $previous, not $($model.ManagedComputer.AccessDenied): it needs no reassociation."
                }
            }
            continue
        }
        if (-not $PSCmdlet.ShouldProcess($name, 'Reassociate with this VMM management server (Register-SCVMMManagedComputer)')) { continue }
        $state = 'Succeeded'
        $message = $null
        try {
            $null = Register-SCVMMManagedComputer -VMMManagedComputer $computer -Credential $Credential -ErrorAction Stop
        } catch {
            $state = 'Failed'
            $message = "Cannot reassociate '$name': $($_.Exception.Message). Check that the credentials are those of an administrator on it and that the VMM agent runs there."
            Write-Error -Message $message -Category NotSpecified -TargetObject $name
        }
        [pscustomobject][ordered]@{
            PSTypeName    = 'VmmBackup.ReassociationResult'
            ComputerName  = $name
            PreviousState = $previous
            State         = $state
            Message       = $message
        }
    }
}
