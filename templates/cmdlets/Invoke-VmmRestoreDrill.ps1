function Invoke-VmmRestoreDrill {
    $drillStart = Get-Date
    $activity = 'Restore drill'
    if ($PSBoundParameters.ContainsKey('Report')) {
        $reportPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Report)
        if ([System.IO.Directory]::Exists($reportPath)) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The report '$Report' is a folder. Give a file name, for example drill.html." -ErrorId BadReportPath -Category InvalidArgument -Target $Report }
        $reportFolder = [System.IO.Path]::GetDirectoryName($reportPath)
        if (-not [string]::IsNullOrEmpty($reportFolder) -and -not [System.IO.Directory]::Exists($reportFolder)) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The folder of the report '$Report' does not exist." -ErrorId BadReportPath -Category ObjectNotFound -Target $Report }
    }
    try {
        $source = Resolve-VmmDrillSource -Path $Path
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId BackupPathNotFound -Category ObjectNotFound -Target $Path
    }
    if (-not $ScratchPath) { $ScratchPath = [System.IO.Path]::GetTempPath() }
    $wanted = @($Item | Select-Object -Unique)

    $results = New-Object -TypeName System.Collections.Generic.List[object]
    $newResult = {
        param([string] $Name, [string] $State, $ItemPath, [string[]] $Evidence, $BackupTime, $RtoSeconds, [long] $Bytes, [bool] $Sampled, [datetime] $Started)
        $rpo = $null
        if ($null -ne $BackupTime) {
            $BackupTime = ([datetime]$BackupTime).ToUniversalTime()
            $rpo = [math]::Round(($drillStart.ToUniversalTime() - $BackupTime).TotalHours, 2)
        }
        $rate = $null
        if ($null -ne $RtoSeconds -and [double]$RtoSeconds -gt 0 -and $Bytes -gt 0) { $rate = [math]::Round($Bytes / [double]$RtoSeconds, 0) }
        $where = $null
        if ($null -ne $ItemPath) { $where = [string]$ItemPath }
        $rto = $null
        if ($null -ne $RtoSeconds) { $rto = [double]$RtoSeconds }
        [pscustomobject][ordered]@{
            PSTypeName     = 'VmmBackup.DrillResult'
            Item           = $Name
            State          = $State
            Path           = $where
            Evidence       = [string[]]@($Evidence)
            BackupTime     = $BackupTime
            RpoHours       = $rpo
            RtoSeconds     = $rto
            Bytes          = $Bytes
            BytesPerSecond = $rate
            Sampled        = $Sampled
            StartTime      = $Started
            EndTime        = Get-Date
        }
    }

    $index = 0
    try {
        foreach ($name in @('Database', 'Library', 'Registry', 'Inventory')) {
            if ($wanted -notcontains $name) { continue }
            $started = Get-Date
            Write-Progress -Id $progressId -Activity $activity -Status $name -PercentComplete ([int](100 * $index / $wanted.Count))
            $index++
            switch ($name) {
                'Database' {
                    if ($source.Database.Count -eq 0) {
                        $results.Add((& $newResult $name 'Skipped' $null @('The backup holds no database backup (.bak).') $null $null 0 $false $started))
                        break
                    }
                    $file = $source.Database[0]
                    $target = Resolve-VmmSqlTarget -SqlServer $SqlServer
                    if (-not $target.SqlServer) {
                        $results.Add((& $newResult $name 'Skipped' $file.FullName @('No SQL Server to restore on: give -SqlServer (a drill instance), or run on the VMM server, whose registry names its instance.') $file.LastWriteTimeUtc $null 0 $false $started))
                        break
                    }
                    $databaseName = 'VirtualManagerDB'
                    $fromName = [regex]::Match($file.Name, '^(?<db>.+)_\d{8}_\d{6}(_\d+)?\.bak$')
                    if ($fromName.Success) { $databaseName = $fromName.Groups['db'].Value } elseif ($target.Database) { $databaseName = $target.Database }
                    if (-not $PSCmdlet.ShouldProcess("SQL Server '$($target.SqlServer)'", "Restore '$($file.FullName)' under a scratch name ($databaseName$((Get-VmmDatabaseLayout).DrillSuffix)<time>), run DBCC CHECKDB, count the VMM tables, drop it")) { break }
                    $connection = $null
                    try {
                        $connection = New-VmmSqlConnection -SqlServer $target.SqlServer -Credential $SqlCredential -ConnectTimeout $ConnectTimeout -Encrypt:$Encrypt -TrustServerCertificate:$TrustServerCertificate
                    } catch {
                        $results.Add((& $newResult $name 'Failed' $file.FullName @("Cannot connect to the drill SQL Server: $($_.Exception.Message)") $file.LastWriteTimeUtc $null 0 $false $started))
                        break
                    }
                    try {
                        $drill = Invoke-VmmDatabaseDrill -Connection $connection -BackupFile $file.FullName -DatabaseName $databaseName -CommandTimeout $CommandTimeout -ProgressId ($progressId + 1)
                    } finally {
                        $connection.Dispose()
                    }
                    $evidence = @("SQL Server '$($target.SqlServer)'.") + @($drill.Evidence)
                    $results.Add((& $newResult $name $drill.State $file.FullName $evidence $file.LastWriteTimeUtc $drill.RtoSeconds $file.Length $false $started))
                }
                'Library' {
                    if ($null -eq $source.Library) {
                        $results.Add((& $newResult $name 'Skipped' $null @($source.LibraryDetail) $null $null 0 $false $started))
                        break
                    }
                    if (-not $PSCmdlet.ShouldProcess($ScratchPath, "Restore the library set '$($source.Library.Path)' into a scratch folder, verify it against its manifest, remove it")) { break }
                    $sample = [long]0
                    if ($PSBoundParameters.ContainsKey('SampleBytes')) { $sample = $SampleBytes }
                    $drill = Invoke-VmmLibraryDrill -Set $source.Library -ScratchPath $ScratchPath -SampleBytes $sample -VMMServer $VMMServer
                    $results.Add((& $newResult $name $drill.State $source.Library.Path $drill.Evidence $drill.BackupTime $drill.RtoSeconds $drill.Bytes $drill.Sampled $started))
                }
                'Registry' {
                    if ($source.Registry.Count -eq 0) {
                        $results.Add((& $newResult $name 'Skipped' $null @('The backup holds no registry export (.reg).') $null $null 0 $false $started))
                        break
                    }
                    $drill = Invoke-VmmRegistryDrill -File $source.Registry
                    $bytes = [long]0
                    foreach ($file in $source.Registry) { $bytes += $file.Length }
                    $registryPath = $source.Registry[0].FullName
                    if ($source.Registry.Count -gt 1) { $registryPath = $source.Registry[0].DirectoryName }
                    $results.Add((& $newResult $name $drill.State $registryPath $drill.Evidence $source.Registry[0].LastWriteTimeUtc $drill.RtoSeconds $bytes $false $started))
                }
                'Inventory' {
                    if ($source.Inventory.Count -eq 0) {
                        $results.Add((& $newResult $name 'Skipped' $null @('The backup holds no inventory snapshot (inventory\*.json).') $null $null 0 $false $started))
                        break
                    }
                    $file = $source.Inventory[0]
                    $drill = Invoke-VmmInventoryDrill -File $file -VMMServer $VMMServer
                    $results.Add((& $newResult $name $drill.State $file.FullName $drill.Evidence $file.LastWriteTimeUtc $drill.RtoSeconds $file.Length $false $started))
                }
            }
            if ($results.Count -gt 0 -and $results[$results.Count - 1].Item -eq $name) { $results[$results.Count - 1] }
        }
    } finally {
        Write-Progress -Id $progressId -Activity $activity -Completed
    }
    if ($results.Count -eq 0) { return }

    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($result in $results) { $counts[$result.State]++ }
    $setText = ''
    if ($source.SetName) { $setText = " of set $($source.SetName)" }
    $summary = 'Restore drill{0}: {1} item(s) Passed, {2} Failed, {3} Skipped.' -f $setText, $counts.Passed, $counts.Failed, $counts.Skipped
    if ($PSCmdlet.ShouldProcess($source.Root, 'Write the drill record (drills\drill-<time>.json)')) {
        try {
            $record = Write-VmmDrillRecord -Root $source.Root -Source $Path -SetName $source.SetName -StartTime $drillStart -Results $results.ToArray()
            $summary += " Record: $record"
        } catch {
            Write-Warning "The drill record could not be written beside the backup ('$($source.Root)'): $($_.Exception.Message) Test-VmmBackup and the DSC resources will not see this drill."
        }
    }
    if ($PSBoundParameters.ContainsKey('Report') -and $PSCmdlet.ShouldProcess($reportPath, 'Write the HTML report')) {
        $html = ConvertTo-VmmDrillReport -Results $results.ToArray() -Source $Path -SetName $source.SetName -Summary $summary
        Write-VmmAtomicTextFile -Path $reportPath -Text $html
        $summary += " Report: $reportPath"
    }
    Write-Information -MessageData $summary -Tags 'VmmBackup.DrillSummary'
}
