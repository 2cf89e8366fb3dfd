function Get-VmmDkmConfiguration {
    $model = Get-VmmObjectModel
    try {
        $keys = @(Read-VmmRegistryTree -Path $model.SettingsKey -NoRecurse -ErrorAction Stop)
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot read the VMM settings to find the distributed key management container: $($_.Exception.Message)" -ErrorId DkmSettingUnreadable -Category ReadError -Target $model.SettingsKey -InnerException $_.Exception
    }
    if ($keys.Count -eq 0) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The VMM server settings key '$($model.SettingsKey)' does not exist on this computer. Run Get-VmmDkmConfiguration on the VMM management server." -ErrorId VmmSettingsKeyMissing -Category ObjectNotFound -Target $model.SettingsKey
    }
    $container = $null
    foreach ($value in @($keys[0].Values)) {
        if ($value.Name -eq $model.Dkm.ContainerValue -and [string]$value.Data) { $container = [string]$value.Data }
    }
    if ($container) {
        $instruction = "DKM is configured: the VMM encryption keys are in the Active Directory container '$container'. Back up Active Directory regularly (a system state backup of a domain controller that holds this container); the VMM backups do not contain these keys."
    } else {
        $instruction = 'DKM is not configured: VMM encrypts data with keys protected by the Windows Data Protection API on this server. Data such as Virtual Machine Role settings cannot be recovered if this server is lost; keep the system state backup of this server current (Backup-VmmSystemState).'
    }
    [pscustomobject][ordered]@{
        PSTypeName  = 'VmmBackup.DkmConfiguration'
        Configured  = [bool]$container
        Container   = $container
        Instruction = $instruction
    }
}
