function Get-VmmBackupSchedule {
    # The real Get-ScheduledTask writes an error when the folder holds no task: no schedule, nothing to return.
    $tasks = @(Get-ScheduledTask -TaskPath '\VmmBackup\' -ErrorAction SilentlyContinue)
    foreach ($task in $tasks) {
        ConvertTo-VmmBackupSchedule -Task $task
    }
}
