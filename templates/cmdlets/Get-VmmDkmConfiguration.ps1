function Get-VmmDkmConfiguration {
    $model = Get-VmmObjectModel
    try {
        $keys = @(Read-VmmRegistryTree -Path $model.SettingsKey -NoRecurse -ErrorAction Stop)
    } catch {
        $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList @(
                    (New-Object -TypeName System.InvalidOperationException -ArgumentList ("Cannot read the VMM settings to find the distributed key management container: $($_.Exception.Message)", $_.Exception)),
                    'VmmBackup.DkmSettingUnreadable',
                    [System.Management.Automation.ErrorCategory]::ReadError,
                    $model.SettingsKey)))
    }
    if ($keys.Count -eq 0) {
        $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList @(
                    (New-Object -TypeName System.InvalidOperationException -ArgumentList "The VMM server settings key '$($model.SettingsKey)' does not exist on this computer. Run Get-VmmDkmConfiguration on the VMM management server."),
                    'VmmBackup.VmmSettingsKeyMissing',
                    [System.Management.Automation.ErrorCategory]::ObjectNotFound,
                    $model.SettingsKey)))
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
