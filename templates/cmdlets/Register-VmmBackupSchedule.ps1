function Register-VmmBackupSchedule {
    $taskPath = '\VmmBackup\'
    $quote = { param([string] $Value) "'" + $Value.Replace("'", "''") + "'" }

    # The account: a gMSA (Task Scheduler fetches its password from Active Directory) or a built-in service
    # account. Anything else would need a stored password, which this module never handles.
    $serviceAccounts = @('SYSTEM', 'NT AUTHORITY\SYSTEM', 'LocalSystem', 'NT AUTHORITY\LOCALSERVICE', 'NT AUTHORITY\LOCAL SERVICE', 'NT AUTHORITY\NETWORKSERVICE', 'NT AUTHORITY\NETWORK SERVICE')
    if ($UserId.EndsWith('$')) {
        $logonType = 'Password'
    } elseif ($serviceAccounts -contains $UserId) {
        $logonType = 'ServiceAccount'
    } else {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message ("'{0}' is neither a group managed service account (a name ending in `$) nor a built-in service account. A scheduled task under another account needs its password stored in the task, which this module does not do: create a gMSA for the backups (New-ADServiceAccount) and pass its name, e.g. 'CONTOSO\svc-vmmbackup`$'." -f $UserId) -ErrorId ScheduleAccount -Category InvalidArgument -Target $UserId -ExceptionType ([System.ArgumentException])
    }

    # The plan's automated backup items (each done by its own cmdlet), by cadence: at most a day old → Daily.
    $items = @(Get-VmmBackupPlan -Automated | Where-Object { $_.Kind -eq 'backup' -and $_.Cmdlet -and $_.Cmdlet -ne 'Invoke-VmmBackup' })
    $cadences = [ordered]@{ Daily = @(); Weekly = @() }
    foreach ($item in $items) {
        if ($null -ne $item.MaxAgeHours -and $item.MaxAgeHours -le 24) { $cadences.Daily += $item.Id } else { $cadences.Weekly += $item.Id }
    }
    if (-not $PSBoundParameters.ContainsKey('SystemStateTarget') -and ($cadences.Weekly -contains 'backup.system-state')) {
        Write-Warning 'No -SystemStateTarget: the weekly run reports the system state backup as Skipped. Register again with -SystemStateTarget to include it.'
    }

    $principal = New-ScheduledTaskPrincipal -UserId $UserId -LogonType $logonType -RunLevel Highest
    $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Hours 23)
    $version = $MyInvocation.MyCommand.Module.Version

    foreach ($cadence in $cadences.Keys) {
        $own = @($cadences[$cadence])
        if ($own.Count -eq 0) { continue }
        $others = @($items | ForEach-Object { $_.Id } | Where-Object { $own -notcontains $_ })
        $taskName = 'VmmBackup ' + $cadence

        # The command the task runs: every value single-quoted (quotes doubled) inside one double-quoted
        # -Command argument; the parameters refuse double quotes and line breaks.
        $call = 'Invoke-VmmBackup -Destination ' + (& $quote $Destination)
        if ($others.Count -gt 0) { $call += ' -Skip ' + (($others | ForEach-Object { & $quote $_ }) -join ',') }
        if ($cadence -eq 'Weekly' -and $PSBoundParameters.ContainsKey('SystemStateTarget')) { $call += ' -SystemStateTarget ' + (& $quote $SystemStateTarget) }
        if ($cadence -eq 'Daily' -and $PSBoundParameters.ContainsKey('KeepLibrarySets')) { $call += ' -KeepLibrarySets ' + [string][int]$KeepLibrarySets }
        $script = 'Import-Module VmmBackup -ErrorAction Stop; $r = @(' + $call + '); $r | Format-Table -AutoSize Id, State, Message | Out-String -Width 4096; if (@($r | Where-Object { $_.State -eq ''Failed'' }).Count -gt 0) { exit 1 }'
        $arguments = '-NoProfile -NonInteractive -Command "' + $script + '"'
        $description = ('Runs the VMM backup plan''s {0} items: {1}. Registered by VmmBackup {2} (Register-VmmBackupSchedule).' -f $cadence, ($own -join ', '), $version)

        if (-not $PSCmdlet.ShouldProcess($taskPath + $taskName, ('Register or update the scheduled task running Invoke-VmmBackup for {0} as {1}' -f ($own -join ', '), $UserId))) { continue }

        $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arguments
        if ($cadence -eq 'Daily') {
            $trigger = New-ScheduledTaskTrigger -Daily -At $At
        } else {
            $trigger = New-ScheduledTaskTrigger -Weekly -DaysOfWeek ([System.DayOfWeek[]]$DaysOfWeek) -At $At
        }
        # -Force replaces a task of the same path and name: registering again updates the one set of tasks.
        $task = Register-ScheduledTask -TaskName $taskName -TaskPath $taskPath -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Description $description -Force -ErrorAction Stop
        $state = 'Ready'
        if ($null -ne $task -and $null -ne $task.PSObject.Properties['State'] -and $null -ne $task.State) { $state = [string]$task.State }
        [pscustomobject][ordered]@{
            PSTypeName = 'VmmBackup.BackupSchedule'
            TaskName   = $taskName
            TaskPath   = $taskPath
            Cadence    = $cadence
            Items      = [string[]]$own
            UserId     = $UserId
            LogonType  = $logonType
            Execute    = 'powershell.exe'
            Arguments  = $arguments
            State      = $state
        }
    }
}
