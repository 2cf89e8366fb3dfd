function Unregister-VmmBackupSchedule {
    $tasks = @(Get-ScheduledTask -TaskPath '\VmmBackup\' -ErrorAction SilentlyContinue)
    foreach ($task in $tasks) {
        $schedule = ConvertTo-VmmBackupSchedule -Task $task
        if ($null -eq $schedule) { continue }
        if ($PSBoundParameters.ContainsKey('Cadence') -and $Cadence -notcontains $schedule.Cadence) { continue }
        if (-not $PSCmdlet.ShouldProcess($schedule.TaskPath + $schedule.TaskName, 'Unregister the scheduled backup task')) { continue }
        Unregister-ScheduledTask -TaskName $schedule.TaskName -TaskPath $schedule.TaskPath -Confirm:$false -ErrorAction Stop
        $schedule.State = 'Removed'
        $schedule
    }
}
