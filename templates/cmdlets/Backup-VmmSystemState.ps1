function Backup-VmmSystemState {
    # A volume (E:) or a UNC share (\\server\share[\folder]); nothing wbadmin could read as another option.
    if ($BackupTarget -notmatch '^[A-Za-z]:\\?$' -and $BackupTarget -notmatch '^\\\\[^\\/:*?"<>|\s]+\\[^\\/:*?"<>|]+(\\[^\\/:*?"<>|]+)*\\?$') {
        throw "The backup target '$BackupTarget' is neither a volume (E:) nor a UNC share (\\server\share). Give the volume or share that receives the system state backup."
    }
    $target = $BackupTarget.TrimEnd('\')
    if ($target -match '^[A-Za-z]:$') { $target = $target.ToUpperInvariant() }
    $versionPattern = '^\s*Version identifier:\s*(?<id>\S.*?)\s*$'

    $readVersions = {
        $result = Invoke-VmmWbadmin -ArgumentList @('get', 'versions', "-backupTarget:$target")
        # wbadmin exits non-zero when the target holds no backup yet: that is an empty list, not an error.
        @($result.Output | ForEach-Object { if ($_ -match $versionPattern) { $Matches['id'] } })
    }

    if (-not $PSCmdlet.ShouldProcess($target, 'wbadmin start systemstatebackup')) { return }

    Write-Progress -Id $progressId -Activity 'System state backup' -Status "Reading the versions on $target"
    $before = @(& $readVersions)
    $start = Get-Date
    Write-Progress -Id $progressId -Activity 'System state backup' -Status "wbadmin start systemstatebackup -backupTarget:$target"
    $run = Invoke-VmmWbadmin -ArgumentList @('start', 'systemstatebackup', "-backupTarget:$target", '-quiet')
    $end = Get-Date
    foreach ($line in $run.Output) { Write-Verbose $line }
    Write-Progress -Id $progressId -Activity 'System state backup' -Status 'Checking that a new version exists'
    $after = @(& $readVersions)
    Write-Progress -Id $progressId -Activity 'System state backup' -Completed

    $new = @($after | Where-Object { $before -notcontains $_ })
    $version = $null
    if ($new.Count -gt 0) { $version = [string]$new[-1] }
    $state = 'Succeeded'
    if ($run.ExitCode -ne 0) {
        $state = 'Failed'
        $detail = @($run.Output | Where-Object { $_ -match '\S' } | Select-Object -Last 3) -join ' '
        Write-Error -Message "wbadmin start systemstatebackup failed with exit code $($run.ExitCode): $detail" -Category NotSpecified -TargetObject $target
    } elseif ($null -eq $version) {
        $state = 'Failed'
        Write-Error -Message "wbadmin reported success, but wbadmin get versions shows no new system state version on '$target'. Check the Windows Server Backup event log (Microsoft-Windows-Backup)." -Category InvalidResult -TargetObject $target
    }
    [pscustomobject][ordered]@{
        PSTypeName        = 'VmmBackup.SystemStateBackup'
        BackupTarget      = $target
        StartTime         = $start
        EndTime           = $end
        ExitCode          = [int]$run.ExitCode
        VersionIdentifier = $version
        State             = $state
    }
}
