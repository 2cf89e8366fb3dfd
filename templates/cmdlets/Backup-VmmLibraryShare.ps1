function Backup-VmmLibraryShare {
    # On several servers at once: each backs up its own shares to <Destination>\<server> (Invoke-VmmFanOut).
    if ($PSBoundParameters.ContainsKey('Session') -or $PSBoundParameters.ContainsKey('ComputerName')) {
        if (-not $PSBoundParameters.ContainsKey('Path')) {
            $exception = New-Object -TypeName System.ArgumentException -ArgumentList 'With -Session or -ComputerName, pass -Path: the library share folders as each server sees them on its own disk.'
            $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'VmmBackup.FanOutNeedsPath', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $null))
        }
        $fanOut = @{} + $PSBoundParameters
        if ($WhatIfPreference) {
            $fanOut.WhatIf = $true
        } else {
            # Confirmed here, once for all servers; a remote session cannot ask.
            $targets = @($ComputerName) + @($Session | ForEach-Object { $_.ComputerName }) | Where-Object { $_ }
            if (-not $PSCmdlet.ShouldProcess(($targets -join ', '), 'Backup-VmmLibraryShare on each server')) { return }
            $fanOut.Confirm = $false
        }
        Invoke-VmmFanOut -Caller $PSCmdlet -CommandName 'Backup-VmmLibraryShare' -Parameters $fanOut -ServerFolderParameter 'Destination' -Session $Session -ComputerName $ComputerName -Credential $Credential -KeyFilePath $KeyFilePath -SshOption $SshOption -ThrottleLimit $ThrottleLimit -OperationTimeoutSec $OperationTimeoutSec
        return
    }
    $startTime = Get-Date
    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
    $pathComparer = [System.StringComparer]::Ordinal
    if ($onWindows) { $pathComparer = [System.StringComparer]::OrdinalIgnoreCase }
    $fail = {
        param([string] $Message, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category, $Target)
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $ErrorId, $Category, $Target
        $PSCmdlet.ThrowTerminatingError($record)
    }
    $trimPath = {
        param([string] $Value)
        $trimmed = $Value.TrimEnd('\', '/')
        if ($trimmed.Length -eq 0 -or $trimmed -match '^[A-Za-z]:$') { return $Value }
        $trimmed
    }

    # The shares: -Path, or every share VMM lists.
    $requested = New-Object -TypeName System.Collections.Generic.List[string]
    if ($PSBoundParameters.ContainsKey('Path')) {
        foreach ($item in $Path) {
            if (-not [string]::IsNullOrWhiteSpace($item)) { $requested.Add($item) }
        }
        if ($requested.Count -eq 0) { & $fail 'No library share path was given. Pass -Path with at least one share, or omit -Path to back up every share VMM lists.' 'VmmBackup.NoLibraryShare' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $null }
    } else {
        $connection = Get-VmmServerConnection -VMMServer $VMMServer
        foreach ($share in @(Get-SCLibraryShare -VMMServer $connection -ErrorAction Stop)) {
            if ($null -ne $share -and -not [string]::IsNullOrWhiteSpace([string]$share.Path)) { $requested.Add([string]$share.Path) }
        }
        if ($requested.Count -eq 0) { & $fail "The VMM management server '$VMMServer' lists no library shares. Add the shares to VMM, or pass them with -Path." 'VmmBackup.NoLibraryShare' ([System.Management.Automation.ErrorCategory]::ObjectNotFound) $VMMServer }
    }
    $shares = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($item in $requested) {
        $full = & $trimPath ($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($item))
        if (-not [System.IO.Directory]::Exists($full)) {
            & $fail "The library share '$item' does not exist or cannot be reached. Check the path and that this account can read the share." 'VmmBackup.LibraryShareNotFound' ([System.Management.Automation.ErrorCategory]::ObjectNotFound) $item
        }
        $known = $false
        foreach ($existing in $shares) { if ($pathComparer.Equals($existing, $full)) { $known = $true } }
        if (-not $known) { $shares.Add($full) }
    }

    try {
        $destinationFull = Resolve-VmmBackupPath -Path $Destination
    } catch {
        & $fail $_.Exception.Message 'VmmBackup.RootDestination' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $Destination
    }
    # Overlap is decided on real locations: a destination reached through a link, junction or mount point
    # into a share (or a share reached through one into the destination) is refused like a nested path.
    $separator = [string][System.IO.Path]::DirectorySeparatorChar
    $comparison = [System.StringComparison]::Ordinal
    if ($onWindows) { $comparison = [System.StringComparison]::OrdinalIgnoreCase }
    $overlaps = {
        param([string] $A, [string] $B)
        $A.Equals($B, $comparison) -or $A.StartsWith($B.TrimEnd('\', '/') + $separator, $comparison) -or $B.StartsWith($A.TrimEnd('\', '/') + $separator, $comparison)
    }
    try {
        $destinationReal = Resolve-VmmRealPath -FullPath $destinationFull
    } catch {
        & $fail "Cannot resolve the destination '$Destination': $($_.Exception.Message)" 'VmmBackup.DestinationUnreachable' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $Destination
    }
    foreach ($share in $shares) {
        $shareReal = $share
        try { $shareReal = Resolve-VmmRealPath -FullPath $share } catch { Write-Verbose "Cannot resolve the links of '$share': $($_.Exception.Message)" }
        if ((& $overlaps $destinationFull $share) -or (& $overlaps $destinationReal $shareReal)) {
            $how = ''
            if (-not (& $overlaps $destinationFull $share)) { $how = " (through a link: the destination is really '$destinationReal', the share '$shareReal')" }
            & $fail "The destination '$Destination' and the library share '$share' overlap$how. Back up to a folder outside the share (a remote file server, as the specification recommends)." 'VmmBackup.DestinationInsideShare' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $Destination
        }
    }
    # Inside the destination, the folders this cmdlet writes or removes in must be its own, not links leading
    # elsewhere (a planted objects/ or sets/ link would make the backup, or its retention, write or delete there).
    $ownFolders = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($name in '.lock', 'objects', 'sets') { $ownFolders.Add([System.IO.Path]::Combine($destinationFull, $name)) }
    $ownFolders.Add([System.IO.Path]::Combine($destinationFull, 'objects', 'tmp'))
    $objectsFolder = [System.IO.Path]::Combine($destinationFull, 'objects')
    if ([System.IO.Directory]::Exists($objectsFolder) -and ([int](New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $objectsFolder).Attributes -band [int][System.IO.FileAttributes]::ReparsePoint) -eq 0) {
        foreach ($folder in [System.IO.Directory]::GetDirectories($objectsFolder)) { $ownFolders.Add($folder) }
    }
    foreach ($folder in $ownFolders) {
        $link = Find-VmmLinkInPath -Root $destinationFull -Path ([System.IO.Path]::Combine($folder, 'x'))
        if ($null -ne $link) {
            & $fail "The backup destination '$Destination' holds a link, junction or mount point at '$link': a backup never writes or removes through a link it did not make. Remove it (the destination holds only what Backup-VmmLibraryShare wrote), or choose another destination." 'VmmBackup.LinkInDestination' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $link
        }
    }

    # Extensions are normalised: 'vhd', '.vhd', '*.vhd' and '.VHD' all mean files ending in .vhd.
    $extensionFilter = $null
    $extensionList = New-Object -TypeName System.Collections.Generic.List[string]
    if ($PSBoundParameters.ContainsKey('Extension') -and @($Extension).Count -gt 0) {
        $extensionFilter = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($item in $Extension) {
            $normalized = ([string]$item).Trim()
            if ($normalized.Length -eq 0) { continue }
            if ($normalized.StartsWith('*')) { $normalized = $normalized.Substring(1) }
            if (-not $normalized.StartsWith('.')) { $normalized = '.' + $normalized }
            if ($normalized.Length -lt 2 -or $normalized.IndexOfAny([char[]]@('*', '?', '\', '/', ' ')) -ge 0 -or $normalized.IndexOf('.', 1) -ge 0) {
                & $fail "'$item' is not a file extension. Give extensions such as vhdx, .vhdx or *.vhdx (one per value), or omit -Extension to back up every file." 'VmmBackup.InvalidExtension' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $item
            }
            if ($extensionFilter.Add($normalized)) { $extensionList.Add($normalized.ToLowerInvariant()) }
        }
        if ($extensionFilter.Count -eq 0) {
            & $fail 'No extension was given in -Extension. Give extensions such as vhdx, .vhdx or *.vhdx, or omit -Extension to back up every file.' 'VmmBackup.InvalidExtension' ([System.Management.Automation.ErrorCategory]::InvalidArgument) $null
        }
    }

    # List the files (read only) so the confirmation and the progress know the totals.
    $progressId = 1
    $activity = 'Backing up VMM library shares'
    Write-Progress -Id $progressId -Activity $activity -Status 'Listing files on the library shares'
    $sources = New-Object -TypeName System.Collections.Generic.List[object]
    $failed = New-Object -TypeName System.Collections.Generic.List[object]
    $totalBytes = [long]0
    $directorySeparators = [char[]]@('\', '/')
    $seenPerShare = New-Object -TypeName 'int[]' -ArgumentList $shares.Count
    $takenPerShare = New-Object -TypeName 'int[]' -ArgumentList $shares.Count
    for ($shareIndex = 0; $shareIndex -lt $shares.Count; $shareIndex++) {
        $root = $shares[$shareIndex]
        $pending = New-Object -TypeName 'System.Collections.Generic.Stack[System.IO.DirectoryInfo]'
        $pending.Push((New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $root))
        while ($pending.Count -gt 0) {
            $directory = $pending.Pop()
            try {
                $entries = @($directory.GetFileSystemInfos())
            } catch {
                $relativeDirectory = $directory.FullName.Substring([math]::Min($root.Length, $directory.FullName.Length)).TrimStart($directorySeparators)
                if ($onWindows) { $relativeDirectory = $relativeDirectory.Replace('\', '/') }
                $failed.Add([pscustomobject]@{ Share = $shareIndex; Path = $relativeDirectory + '/'; Error = $_.Exception.Message })
                Write-Error -Message "Cannot list the folder '$($directory.FullName)': $($_.Exception.Message). Its files are not in this backup set." -Category ReadError -ErrorId 'VmmBackup.SourceListFailed' -TargetObject $directory.FullName
                continue
            }
            foreach ($entry in $entries) {
                if ($entry -is [System.IO.DirectoryInfo]) {
                    # Junctions and symbolic links to folders are not followed (they can loop or leave the share).
                    if (($entry.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -eq 0) { $pending.Push($entry) }
                    continue
                }
                $seenPerShare[$shareIndex]++
                if ($null -ne $extensionFilter -and -not $extensionFilter.Contains($entry.Extension)) { continue }
                $takenPerShare[$shareIndex]++
                $relative = $entry.FullName.Substring($root.Length).TrimStart($directorySeparators)
                if ($onWindows) { $relative = $relative.Replace('\', '/') }
                $sources.Add([pscustomobject]@{ Share = $shareIndex; Path = $relative; File = $entry })
                $totalBytes += $entry.Length
            }
        }
    }

    # A share that gives no file (empty, an unmounted volume, a filter that matches nothing) makes a set that is
    # not Good and never a reason to remove older sets.
    $emptyShares = New-Object -TypeName System.Collections.Generic.List[string]
    for ($i = 0; $i -lt $shares.Count; $i++) {
        if ($takenPerShare[$i] -gt 0) { continue }
        $emptyShares.Add($shares[$i])
        if ($seenPerShare[$i] -eq 0) {
            Write-Warning "The library share '$($shares[$i])' holds no file: it is empty, or its volume is not mounted or cannot be read. The new set holds nothing of it and is not Good (Test-VmmBackup reports it Missing), and no older set is removed."
        } else {
            Write-Warning "The -Extension filter ($($extensionList -join ', ')) matches none of the $($seenPerShare[$i]) files of the library share '$($shares[$i])'. The new set holds nothing of it and is not Good (Test-VmmBackup reports it Missing), and no older set is removed. Check the extensions (for example vhdx for .vhdx disks)."
        }
    }

    if (-not $PSCmdlet.ShouldProcess($destinationFull, ('Back up {0} files ({1:N0} MB) from {2} library share(s)' -f $sources.Count, ($totalBytes / 1MB), $shares.Count))) {
        if ($PSBoundParameters.ContainsKey('KeepSets') -and $WhatIfPreference -and $emptyShares.Count -eq 0) {
            # Show what the retention would remove once the new set is written (read only: nothing is removed).
            $null = Invoke-VmmLibraryRetention -Destination $destinationFull -KeepSets $KeepSets -ReserveNewSet -ProgressId $progressId
        }
        Write-Progress -Id $progressId -Activity $activity -Completed
        return
    }

    $objectsRoot = [System.IO.Path]::Combine($destinationFull, 'objects')
    $temporaryRoot = [System.IO.Path]::Combine($objectsRoot, 'tmp')
    $setsRoot = [System.IO.Path]::Combine($destinationFull, 'sets')
    try {
        $null = [System.IO.Directory]::CreateDirectory($temporaryRoot)
        $null = [System.IO.Directory]::CreateDirectory($setsRoot)
    } catch {
        & $fail "Cannot create the backup destination '$Destination': $($_.Exception.Message). Check that the file server is reachable and that this account can write there." 'VmmBackup.DestinationUnreachable' ([System.Management.Automation.ErrorCategory]::WriteError) $Destination
    }
    # One writer at a time: the lock is released by the system even when the process is killed.
    try {
        $lock = New-Object -TypeName System.IO.FileStream -ArgumentList ([System.IO.Path]::Combine($destinationFull, '.lock')), ([System.IO.FileMode]::OpenOrCreate), ([System.IO.FileAccess]::ReadWrite), ([System.IO.FileShare]::None)
    } catch {
        & $fail "Another backup is writing to '$Destination' (or it cannot be opened: $($_.Exception.Message)). Wait for it to finish and run the command again." 'VmmBackup.DestinationBusy' ([System.Management.Automation.ErrorCategory]::ResourceBusy) $Destination
    }

    $journal = $null
    try {
        # Leftovers of an interrupted copy: never part of any set.
        foreach ($leftover in [System.IO.Directory]::GetFiles($temporaryRoot)) { [System.IO.File]::Delete($leftover) }

        $sets = @(Get-VmmLibraryBackupSet -Destination $destinationFull)
        $previous = $null
        # The base: the newest readable complete set that holds files (an empty set, of an unmounted share, is none).
        for ($i = $sets.Count - 1; $i -ge 0 -and $null -eq $previous; $i--) {
            if (-not $sets[$i].Complete) { continue }
            try {
                $previous = Read-VmmBackupManifest -Path $sets[$i].ManifestPath
                if ($previous.Files.Count -eq 0) { $previous = $null }
            } catch {
                Write-Warning "Ignoring the damaged backup set '$($sets[$i].Path)' as a base for this backup: $($_.Exception.Message)"
            }
        }
        # The copy engine (compiled, several threads) decides, copies and journals each file.
        $engine = New-VmmCopyEngine -Kind Backup -ObjectsRoot $objectsRoot -TemporaryRoot $temporaryRoot -IgnoreCase:$onWindows
        $engine.ChangeRetries = 1
        if ($null -ne $previous) {
            foreach ($file in $previous.Files) {
                $engine.AddKnown($previous.Shares[[int]$file.Share], [string]$file.Path, [long]$file.Length, [long]$file.Modified, [string]$file.Sha256)
            }
        }

        # Resume the newest unfinished set newer than the last complete one; otherwise start a new set.
        $set = $null
        if ($sets.Count -gt 0 -and -not $sets[$sets.Count - 1].Complete) { $set = $sets[$sets.Count - 1] }
        if ($null -ne $set) {
            $null = $engine.LoadJournal($set.JournalPath)
            if ($engine.DamagedJournalLines -gt 0) { Write-Verbose "Ignoring $($engine.DamagedJournalLines) damaged journal line(s) in '$($set.JournalPath)'." }
            Write-Verbose "Resuming the unfinished backup set '$($set.Path)' ($($engine.ResumedRecords) files already done)."
        } else {
            $name = (Get-Date).ToString('yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture)
            $candidate = $name
            $suffix = 0
            while ([System.IO.Directory]::Exists([System.IO.Path]::Combine($setsRoot, $candidate))) {
                $suffix++
                $candidate = $name + '_' + $suffix
            }
            $setPath = [System.IO.Path]::Combine($setsRoot, $candidate)
            $null = [System.IO.Directory]::CreateDirectory($setPath)
            $set = [pscustomobject]@{
                Name         = $candidate
                Path         = $setPath
                ManifestPath = [System.IO.Path]::Combine($setPath, 'manifest.json')
                JournalPath  = [System.IO.Path]::Combine($setPath, 'journal.jsonl')
                Complete     = $false
            }
        }
        $engine.OpenJournal($set.JournalPath)
        $journal = $engine

        foreach ($source in $sources) { $null = $engine.AddFile($source.Share, $shares[$source.Share], $source.Path, $source.File) }
        # One progress bar for the whole backup, fed by every worker; errors are reported as files finish.
        Wait-VmmCopyEngine -Engine $engine -ProgressId $progressId -Activity $activity -FileCount $sources.Count | ForEach-Object {
            $errorId = 'VmmBackup.SourceReadFailed'
            if ($_.ErrorKind -eq 'SourceChanged') { $errorId = 'VmmBackup.SourceChanged' }
            Write-Error -Message "$($_.Error). The file is not in this backup set." -Category ReadError -ErrorId $errorId -TargetObject $_.FullPath
        }
        if ($null -ne $engine.Fatal) {
            & $fail "$($engine.Fatal). The files copied so far are kept: run the command again to resume." 'VmmBackup.DestinationWriteFailed' ([System.Management.Automation.ErrorCategory]::WriteError) $Destination
        }
        foreach ($item in $engine.GetFailed()) {
            $failed.Add([pscustomobject]@{ Share = $item.Share; Path = $item.Path; Error = $item.Error })
        }
        $copied = $engine.Copied
        $skipped = $engine.Skipped
        $resumedCount = $engine.Resumed

        # Commit: the manifest is written last, under a temporary name, then renamed.
        $ordered = $engine.GetEntries()
        $endTime = Get-Date
        Write-VmmBackupManifest -Path $set.ManifestPath -SetName $set.Name -StartTime $startTime -EndTime $endTime -Shares $shares.ToArray() -Extensions $extensionList.ToArray() -Files $ordered -Failed $failed.ToArray()
        $engine.CloseJournal()
        $journal = $null
        [System.IO.File]::Delete($set.JournalPath)
        foreach ($other in $sets) {
            if (-not $other.Complete -and $other.Path -ne $set.Path -and [System.IO.Directory]::Exists($other.Path)) { [System.IO.Directory]::Delete($other.Path, $true) }
        }

        $bytes = [long]0
        foreach ($entry in $ordered) { $bytes += $entry.Length }

        $state = 'Good'
        if ($failed.Count -gt 0) { $state = 'Corrupt' } elseif ($emptyShares.Count -gt 0) { $state = 'Missing' }

        # Retention, under the same lock, once the new set is committed, and only after a Good run: a set with
        # unreadable files, or with nothing from a share, never makes room by removing older sets.
        $pruned = 0
        $freedBytes = [long]0
        if ($PSBoundParameters.ContainsKey('KeepSets')) {
            if ($failed.Count -gt 0) {
                Write-Warning "No backup set was removed: the new set '$($set.Path)' misses $($failed.Count) file(s) or folder(s) that could not be read. Fix the errors and run the backup again."
            } elseif ($emptyShares.Count -gt 0) {
                Write-Warning "No backup set was removed: the new set '$($set.Path)' holds no file from $($emptyShares.Count) share(s) ($($emptyShares -join ', '))."
            } else {
                $retention = Invoke-VmmLibraryRetention -Destination $destinationFull -KeepSets $KeepSets -CurrentSet $set.Name -ProgressId $progressId -Activity $activity
                $pruned = [int]$retention.Pruned
                $freedBytes = [long]$retention.FreedBytes
            }
        }
        [pscustomobject][ordered]@{
            PSTypeName   = 'VmmBackup.LibraryBackup'
            Destination  = $destinationFull
            SetPath      = $set.Path
            ManifestPath = $set.ManifestPath
            State        = $state
            Files        = $ordered.Length
            Bytes        = $bytes
            Copied       = $copied
            Skipped      = $skipped
            Resumed      = $resumedCount
            Failed       = $failed.Count
            Pruned       = $pruned
            FreedBytes   = $freedBytes
            StartTime    = $startTime
            EndTime      = $endTime
        }
    } finally {
        if ($null -ne $journal) {
            # Stopped early (an error, Ctrl+C): let the workers finish the file in hand before the lock goes.
            $journal.Cancel()
            $null = $journal.Wait(-1)
            $journal.CloseJournal()
        }
        $lock.Dispose()
        Write-Progress -Id $progressId -Activity $activity -Completed
    }
}
