function Get-VmmCheckpointReport {
    $model = Get-VmmObjectModel
    $warning = 'A checkpoint is not a backup: it does not duplicate the hard disk contents nor copy data to a separate volume. Do not use it for disaster recovery; back the VM up with a backup application.'
    $connection = Get-VmmServerConnection -VMMServer $VMMServer
    try {
        $checkpoints = @(Get-SCVMCheckpoint -VMMServer $connection -ErrorAction Stop)
    } catch {
        throw "Cannot list the checkpoints of the VMM management server '$VMMServer': $($_.Exception.Message)"
    }
    if ($checkpoints.Count -gt 0) {
        Write-Warning ('{0} checkpoint(s) found. {1}' -f $checkpoints.Count, $warning)
    }
    foreach ($checkpoint in $checkpoints) {
        $added = Get-VmmPropertyValue $checkpoint $model.Checkpoint.AddedTimeProperty
        if ($null -ne $added -and -not ($added -is [datetime])) {
            $parsed = [datetime]::MinValue
            if ([datetime]::TryParse([string]$added, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::None, [ref]$parsed)) { $added = $parsed } else { $added = $null }
        }
        [pscustomobject][ordered]@{
            PSTypeName = 'VmmBackup.CheckpointReport'
            VMName     = [string](Get-VmmPropertyValue $checkpoint $model.Checkpoint.VMProperty -AsName)
            Name       = [string](Get-VmmPropertyValue $checkpoint $model.Checkpoint.NameProperty)
            AddedTime  = $added
            Warning    = $warning
        }
    }
}
