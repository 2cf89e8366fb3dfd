function Invoke-VmmBackup {
    # On several servers at once: each runs the plan into <Destination>\<server> (Invoke-VmmFanOut).
    if ($PSBoundParameters.ContainsKey('Session') -or $PSBoundParameters.ContainsKey('ComputerName')) {
        $newFailedItem = {
            param([string] $Server, [string] $Reason, $Start, $End)
            [pscustomobject][ordered]@{
                PSTypeName = 'VmmBackup.PlanRunItem'; Id = 'fanout.server'; Title = "Run the backup plan on $Server"; State = 'Failed'; RunState = 'Failed'
                Output = $null; Message = $Reason; StartTime = [datetime]$Start; EndTime = [datetime]$End; ComputerName = $Server
            }
        }
        Invoke-VmmFanOutCommand -Caller $PSCmdlet -BoundParameters $PSBoundParameters -ServerFolderParameter Destination -ConfirmOnce -NewFailedItem $newFailedItem
        return
    }
    $runStart = Get-Date

    $data = Get-VmmProcedureData
    $plan = @(ConvertTo-VmmPlanItem -Id $data.Plans.Backup -Data $data)
    $planIds = @($plan | ForEach-Object { $_.Id })
    $skipIds = @()
    if ($PSBoundParameters.ContainsKey('Skip')) {
        foreach ($id in $Skip) {
            if ($planIds -notcontains $id) {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "'$id' is not an item of the backup plan. The items are: $($planIds -join ', ')." -ErrorId UnknownPlanItem -Category InvalidArgument -Target $id
            }
            $skipIds += $id
        }
    }
    try {
        $root = Resolve-VmmBackupPath -Path $Destination
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId RootDestination -Category InvalidArgument -Target $Destination
    }

    # Each automated backup item: the public cmdlet that does it, where it writes, and what it produced.
    $stamp = (Get-Date).ToString('yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture)
    $setName = $stamp
    $suffix = 0
    while ([System.IO.Directory]::Exists([System.IO.Path]::Combine($root, $setName))) {
        $suffix++
        $setName = $stamp + '_' + $suffix
    }
    $setPath = [System.IO.Path]::Combine($root, $setName)
    $libraryRoot = [System.IO.Path]::Combine($root, 'library')
    $runners = @{
        'backup.database'         = @{ Command = 'Backup-VmmDatabase'; Parameters = @{ Path = [System.IO.Path]::Combine($setPath, 'database') }; Folder = 'database' }
        'backup.registry'         = @{ Command = 'Backup-VmmRegistrySetting'; Parameters = @{ Path = [System.IO.Path]::Combine($setPath, 'registry') }; Folder = 'registry' }
        'backup.inventory'        = @{ Command = 'Export-VmmInventory'; Parameters = @{ Path = [System.IO.Path]::Combine($setPath, 'inventory') }; Folder = 'inventory' }
        'backup.vm-configuration' = @{ Command = 'Backup-VmmVMConfiguration'; Parameters = @{ Destination = [System.IO.Path]::Combine($setPath, 'vmconfig') }; Folder = 'vmconfig' }
        'backup.library'          = @{ Command = 'Backup-VmmLibraryShare'; Parameters = @{ Destination = $libraryRoot }; Folder = $null }
        'backup.system-state'     = @{ Command = 'Backup-VmmSystemState'; Parameters = @{ BackupTarget = $SystemStateTarget }; Folder = $null }
    }
    if ($PSBoundParameters.ContainsKey('KeepLibrarySets')) { $runners['backup.library'].Parameters['KeepSets'] = $KeepLibrarySets }
    $toRun = @($plan | Where-Object { $runners.ContainsKey($_.Id) -and $skipIds -notcontains $_.Id })
    if (-not $PSCmdlet.ShouldProcess($setPath, ('Run the backup plan: {0} backup items into a new backup set' -f $toRun.Count))) {
        return
    }
    try {
        $null = [System.IO.Directory]::CreateDirectory($setPath)
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot create the backup set folder '$setPath': $($_.Exception.Message). Check that the backup destination is reachable and that this account can write there." -ErrorId DestinationUnreachable -Category WriteError -Target $Destination
    }

    $newResult = {
        param($Item, [string] $State, $Output, $Message, [datetime] $Started)
        $outputText = $null
        if ($null -ne $Output -and [string]$Output -ne '') { $outputText = [string]$Output }
        $messageText = $null
        if ($null -ne $Message -and [string]$Message -ne '') { $messageText = [string]$Message }
        [pscustomobject][ordered]@{
            PSTypeName = 'VmmBackup.PlanRunItem'
            Id         = [string]$Item.Id
            Title      = [string]$Item.Title
            State      = $State
            RunState   = $null
            Output     = $outputText
            Message    = $messageText
            StartTime  = $Started
            EndTime    = Get-Date
        }
    }

    $results = @{}
    $librarySet = $null
    $activity = "Running the VMM backup plan into $setPath"
    $done = 0
    try {
        foreach ($item in $plan) {
            $started = Get-Date
            if ($skipIds -contains $item.Id) {
                $results[$item.Id] = & $newResult $item 'Skipped' $null 'Skipped by -Skip.' $started
                continue
            }
            if ($item.Id -eq 'backup.plan' -or $item.Id -eq 'check.backup-set') { continue }
            if (-not $runners.ContainsKey($item.Id)) {
                if ($item.Automated) {
                    $message = "Not part of a backup run: run $($item.Cmdlet) and act on its result."
                    if ($item.Cadence) { $message += " Cadence: $($item.Cadence)" }
                } else {
                    $steps = @($item.Instructions)
                    $numbered = New-Object -TypeName System.Collections.Generic.List[string]
                    foreach ($step in $steps) { $numbered.Add(('{0}. {1}' -f ($numbered.Count + 1), $step)) }
                    $message = $numbered.ToArray() -join ' '
                    if ($item.Condition) { $message = "Only if: $($item.Condition) " + $message }
                }
                $results[$item.Id] = & $newResult $item 'ActionRequired' $null $message $started
                continue
            }
            if ($item.Id -eq 'backup.system-state' -and [string]::IsNullOrEmpty($SystemStateTarget)) {
                $results[$item.Id] = & $newResult $item 'Skipped' $null 'No -SystemStateTarget was given: pass a volume or share that is not backed up itself to take the system state backup.' $started
                continue
            }

            $runner = $runners[$item.Id]
            $done++
            Write-Progress -Id $progressId -Activity $activity -Status ('{0} ({1} of {2})' -f $item.Title, $done, $toRun.Count) -PercentComplete ([int](100.0 * ($done - 1) / [math]::Max(1, $toRun.Count)))
            $parameters = @{}
            foreach ($key in $runner.Parameters.Keys) { $parameters[$key] = $runner.Parameters[$key] }
            $state = 'Succeeded'
            $output = $null
            $message = $null
            try {
                # The item's folder exists before the cmdlet writes: a backup program (SQL Server's BACKUP TO
                # DISK, wbadmin, ...) does not create folders itself.
                if ($null -ne $runner.Folder) {
                    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($setPath, $runner.Folder))
                }
                $command = Get-Command -Name $runner.Command -ErrorAction Stop
                if ($command.Parameters.ContainsKey('VMMServer')) { $parameters['VMMServer'] = $VMMServer }
                if ($command.Parameters.ContainsKey('Confirm')) { $parameters['Confirm'] = $false }
                # Errors the cmdlet writes (non-terminating) come through the error stream; errors it catches
                # itself do not.
                $produced = New-Object -TypeName System.Collections.Generic.List[object]
                $itemErrors = New-Object -TypeName System.Collections.Generic.List[object]
                foreach ($record in @(& $command @parameters -ErrorAction Continue 2>&1)) {
                    if ($record -is [System.Management.Automation.ErrorRecord]) { $itemErrors.Add($record) } else { $produced.Add($record) }
                }
                switch ($item.Id) {
                    'backup.library' {
                        $last = $produced | Select-Object -Last 1
                        if ($null -ne $last) {
                            $output = $last.SetPath
                            if ($last.PSObject.Properties['Failed'] -and [int]$last.Failed -gt 0) {
                                $state = 'Failed'
                                $message = "$($last.Failed) library file(s) or folder(s) could not be read; see the errors of Backup-VmmLibraryShare."
                            } elseif ($last.PSObject.Properties['State'] -and [string]$last.State -ne 'Good') {
                                $state = 'Failed'
                                $message = "The library backup set is $($last.State): a share gave no file (empty, not mounted, or an -Extension filter that matched nothing); see the warnings of Backup-VmmLibraryShare."
                            }
                            if ($output) { $librarySet = 'library/sets/' + [System.IO.Path]::GetFileName([string]$output) }
                        }
                    }
                    'backup.vm-configuration' {
                        $output = $runner.Parameters.Destination
                        $bad = @($produced | Where-Object { $_.PSObject.Properties['State'] -and $_.State -eq 'Failed' })
                        if ($bad.Count -gt 0) {
                            $state = 'Failed'
                            $message = ('{0} of {1} virtual machines failed: {2}' -f $bad.Count, $produced.Count, ((@($bad | Select-Object -First 5 | ForEach-Object { '{0} ({1})' -f $_.VMName, $_.Message })) -join '; '))
                        }
                    }
                    'backup.system-state' {
                        $last = $produced | Select-Object -Last 1
                        $output = $SystemStateTarget
                        if ($null -ne $last -and $last.PSObject.Properties['VersionIdentifier'] -and $last.VersionIdentifier) { $output = "$SystemStateTarget (version $($last.VersionIdentifier))" }
                        if ($null -ne $last -and $last.PSObject.Properties['State'] -and $last.State -eq 'Failed') {
                            $state = 'Failed'
                            $message = "wbadmin reported a failure (exit code $($last.ExitCode))."
                        }
                    }
                    'backup.database' {
                        $last = $produced | Select-Object -Last 1
                        if ($null -ne $last -and $last.PSObject.Properties['Path']) { $output = $last.Path }
                        # A backup nobody verified is not a success: RESTORE VERIFYONLY must have accepted it.
                        if ($null -eq $last -or -not $last.PSObject.Properties['Verified'] -or $last.Verified -ne $true) {
                            $state = 'Failed'
                            $message = 'The database backup was not verified (RESTORE VERIFYONLY did not run: SQL Server unknown or unreachable, or this computer cannot see the file); see the warnings of Backup-VmmDatabase. Give -SqlServer, or a folder both SQL Server and this computer can reach.'
                        }
                    }
                    default {
                        $last = $produced | Select-Object -Last 1
                        if ($null -ne $last -and $last.PSObject.Properties['Path']) { $output = $last.Path }
                    }
                }
                if ($null -eq $output -and $null -ne $runner.Folder) { $output = [System.IO.Path]::Combine($setPath, $runner.Folder) }
                if ($itemErrors.Count -gt 0) {
                    $state = 'Failed'
                    $message = ('{0} error(s); the first: {1}' -f $itemErrors.Count, $itemErrors[0].ToString())
                }
            } catch {
                $state = 'Failed'
                $message = $_.Exception.Message
                if ($_.FullyQualifiedErrorId -like 'VmmBackup.NotImplemented*') { $message = "VmmBackup.NotImplemented: $($_.Exception.Message)" }
            }
            $results[$item.Id] = & $newResult $item $state $output $message $started
        }

        # Commit the run: backup-set.json lists every file of the set with its SHA-256, written last.
        $planResult = $null
        $runItems = @(foreach ($item in $plan) { if ($results.ContainsKey($item.Id)) { $results[$item.Id] } })
        $manifestPath = $null
        try {
            $manifestPath = Write-VmmBackupSetManifest -SetPath $setPath -StartTime $runStart -EndTime (Get-Date) -VMMServer $VMMServer -Items $runItems -LibrarySet $librarySet
        } catch {
            $planResult = "The backup set manifest could not be written: $($_.Exception.Message)"
        }

        $checkItem = $plan | Where-Object { $_.Id -eq 'check.backup-set' } | Select-Object -First 1
        if ($null -ne $checkItem -and -not $results.ContainsKey($checkItem.Id)) {
            $checkStarted = Get-Date
            if ($null -eq $manifestPath) {
                $results[$checkItem.Id] = & $newResult $checkItem 'Failed' $setPath 'The set was not verified: its manifest could not be written.' $checkStarted
            } else {
                try {
                    $rows = @(Test-VmmBackup -Path $setPath)
                    # An item skipped on purpose is not a defect of the set.
                    $itemIds = @{ Database = 'backup.database'; Registry = 'backup.registry'; Inventory = 'backup.inventory'; VMConfiguration = 'backup.vm-configuration'; Library = 'backup.library' }
                    $notGood = @($rows | Where-Object {
                            $skipped = $itemIds.ContainsKey($_.Item) -and $results.ContainsKey($itemIds[$_.Item]) -and $results[$itemIds[$_.Item]].State -eq 'Skipped'
                            $_.State -ne 'Good' -and -not ($skipped -and $_.State -eq 'Missing')
                        })
                    if ($notGood.Count -eq 0) {
                        $results[$checkItem.Id] = & $newResult $checkItem 'Succeeded' $setPath ('{0} items verified Good.' -f $rows.Count) $checkStarted
                    } else {
                        $summary = (@($notGood | ForEach-Object { '{0} {1}' -f $_.Item, $_.State })) -join ', '
                        $results[$checkItem.Id] = & $newResult $checkItem 'Failed' $setPath ("Not good: $summary. Run Test-VmmBackup -Path '$setPath' for details.") $checkStarted
                    }
                } catch {
                    $results[$checkItem.Id] = & $newResult $checkItem 'Failed' $setPath $_.Exception.Message $checkStarted
                }
            }
        }

        $planItem = $plan | Where-Object { $_.Id -eq 'backup.plan' } | Select-Object -First 1
        if ($null -ne $planItem -and -not $results.ContainsKey($planItem.Id)) {
            $counts = @{ Succeeded = 0; Failed = 0; Skipped = 0; ActionRequired = 0 }
            foreach ($value in $results.Values) { $counts[$value.State]++ }
            $state = 'Succeeded'
            if ($null -ne $planResult -or $counts.Failed -gt 0) { $state = 'Failed' }
            $message = ('{0} succeeded, {1} failed, {2} skipped, {3} need action by the operator.' -f $counts.Succeeded, $counts.Failed, $counts.Skipped, $counts.ActionRequired)
            if ($null -ne $planResult) { $message = $planResult + ' ' + $message }
            $results[$planItem.Id] = & $newResult $planItem $state $setPath $message $runStart
        }
    } finally {
        Write-Progress -Id $progressId -Activity $activity -Completed
    }

    # The state of the whole run on every result, so a caller (or the CLI) that looks at any of them can tell
    # that an item failed: Failed when any item failed or the set could not be committed.
    $runState = 'Succeeded'
    foreach ($value in $results.Values) {
        if ($value.State -eq 'Failed') { $runState = 'Failed' }
    }
    foreach ($item in $plan) {
        if ($results.ContainsKey($item.Id)) {
            $results[$item.Id].RunState = $runState
            $results[$item.Id]
        }
    }
    if ($runState -eq 'Failed') {
        $failedIds = @(foreach ($item in $plan) { if ($results.ContainsKey($item.Id) -and $results[$item.Id].State -eq 'Failed' -and $item.Id -ne 'backup.plan') { $item.Id } })
        Write-Warning ("The backup run into '{0}' failed: {1}. See the Message of each failed item." -f $setPath, ($failedIds -join ', '))
    }
}
