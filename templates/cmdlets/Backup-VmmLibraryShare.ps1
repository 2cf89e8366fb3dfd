function Backup-VmmLibraryShare {
    # On several servers at once: each backs up its own shares to <Destination>\<server> (Invoke-VmmFanOut).
    if ($PSBoundParameters.ContainsKey('Session') -or $PSBoundParameters.ContainsKey('ComputerName')) {
        if (-not $PSBoundParameters.ContainsKey('Path')) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'With -Session or -ComputerName, pass -Path: the library share folders as each server sees them on its own disk.' -ErrorId FanOutNeedsPath -Category InvalidArgument -ExceptionType ([System.ArgumentException])
        }
        Invoke-VmmFanOutCommand -Caller $PSCmdlet -BoundParameters $PSBoundParameters -ServerFolderParameter Destination -ConfirmOnce
        return
    }
    $startTime = Get-Date
    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
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
        if ($requested.Count -eq 0) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No library share path was given. Pass -Path with at least one share, or omit -Path to back up every share VMM lists.' -ErrorId NoLibraryShare -Category InvalidArgument }
    } else {
        $connection = Get-VmmServerConnection -VMMServer $VMMServer
        foreach ($share in @(Get-SCLibraryShare -VMMServer $connection -ErrorAction Stop)) {
            if ($null -ne $share -and -not [string]::IsNullOrWhiteSpace([string]$share.Path)) { $requested.Add([string]$share.Path) }
        }
        if ($requested.Count -eq 0) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The VMM management server '$VMMServer' lists no library shares. Add the shares to VMM, or pass them with -Path." -ErrorId NoLibraryShare -Category ObjectNotFound -Target $VMMServer }
    }
    $shares = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($item in $requested) {
        $full = & $trimPath ($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($item))
        if (-not [System.IO.Directory]::Exists($full)) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The library share '$item' does not exist or cannot be reached. Check the path and that this account can read the share." -ErrorId LibraryShareNotFound -Category ObjectNotFound -Target $item
        }
        $known = $false
        foreach ($existing in $shares) { if (Test-VmmPathRelation -Path $existing -Other $full -Relation Equal) { $known = $true } }
        if (-not $known) { $shares.Add($full) }
    }

    try {
        $destinationFull = Resolve-VmmBackupPath -Path $Destination
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId RootDestination -Category InvalidArgument -Target $Destination
    }
    # Overlap is decided on real locations: a destination reached through a link, junction or mount point
    # into a share (or a share reached through one into the destination) is refused like a nested path.
    try {
        $destinationReal = Resolve-VmmRealPath -FullPath $destinationFull
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot resolve the destination '$Destination': $($_.Exception.Message)" -ErrorId DestinationUnreachable -Category InvalidArgument -Target $Destination
    }
    foreach ($share in $shares) {
        $shareReal = $share
        try { $shareReal = Resolve-VmmRealPath -FullPath $share } catch { Write-Verbose "Cannot resolve the links of '$share': $($_.Exception.Message)" }
        $overlapsAsGiven = Test-VmmPathRelation -Path $destinationFull -Other $share -Relation Overlap
        if ($overlapsAsGiven -or (Test-VmmPathRelation -Path $destinationReal -Other $shareReal -Relation Overlap)) {
            $how = ''
            if (-not $overlapsAsGiven) { $how = " (through a link: the destination is really '$destinationReal', the share '$shareReal')" }
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The destination '$Destination' and the library share '$share' overlap$how. Back up to a folder outside the share (a remote file server, as the specification recommends)." -ErrorId DestinationInsideShare -Category InvalidArgument -Target $Destination
        }
    }
    # Inside the destination, the folders this cmdlet writes or removes in must be its own, not links leading
    # elsewhere (a planted objects/ or sets/ link would make the backup, or its retention, write or delete there).
    Assert-VmmLibraryStoreFolder -Cmdlet $PSCmdlet -Destination $destinationFull -DisplayName $Destination

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
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "'$item' is not a file extension. Give extensions such as vhdx, .vhdx or *.vhdx (one per value), or omit -Extension to back up every file." -ErrorId InvalidExtension -Category InvalidArgument -Target $item
            }
            if ($extensionFilter.Add($normalized)) { $extensionList.Add($normalized.ToLowerInvariant()) }
        }
        if ($extensionFilter.Count -eq 0) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No extension was given in -Extension. Give extensions such as vhdx, .vhdx or *.vhdx, or omit -Extension to back up every file.' -ErrorId InvalidExtension -Category InvalidArgument
        }
    }

    # List the files (read only) so the confirmation and the progress know the totals.
    $activity = 'Backing up VMM library shares'
    Write-Progress -Id $progressId -Activity $activity -Status 'Listing files on the library shares'
    $listing = Get-VmmLibrarySourceListing -Shares $shares.ToArray() -Extensions $extensionList.ToArray()
    $failed = New-Object -TypeName System.Collections.Generic.List[object]
    $failedFolders = $listing.GetFailedFolders()
    $listingFailures = $listing.GetFailed()
    for ($i = 0; $i -lt $listingFailures.Length; $i++) {
        $failed.Add($listingFailures[$i])
        Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "Cannot list the folder '$($failedFolders[$i])': $($listingFailures[$i].Error). Its files are not in this backup set." -ErrorId SourceListFailed -Category ReadError -Target $failedFolders[$i]
    }
    $totalBytes = $listing.TotalBytes
    $seenPerShare = $listing.Seen
    $takenPerShare = $listing.Taken

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

    if (-not $PSCmdlet.ShouldProcess($destinationFull, ('Back up {0} files ({1:N0} MB) from {2} library share(s)' -f $listing.Count, ($totalBytes / 1MB), $shares.Count))) {
        if ($PSBoundParameters.ContainsKey('KeepSets') -and $WhatIfPreference -and $emptyShares.Count -eq 0) {
            # Show what the retention would remove once the new set is written (read only: nothing is removed).
            $null = Invoke-VmmLibraryRetention -Destination $destinationFull -KeepSets $KeepSets -ReserveNewSet -ProgressId $progressId
        }
        Write-Progress -Id $progressId -Activity $activity -Completed
        return
    }

    # One writer at a time: the store is locked until Close-VmmLibraryStore.
    $store = Open-VmmLibraryStore -Cmdlet $PSCmdlet -Destination $destinationFull -DisplayName $Destination

    $engine = $null
    try {
        $open = Open-VmmLibrarySet -Store $store -IgnoreCase:$onWindows
        $set = $open.Set
        # The copy engine (compiled, several threads) decides, copies and journals each file.
        $engine = $open.Engine
        $engine.ChangeRetries = 1
        $engine.AddListing($listing, $shares.ToArray())
        # One progress bar for the whole backup, fed by every worker; errors are reported as files finish.
        Wait-VmmCopyEngine -Engine $engine -ProgressId $progressId -Activity $activity -FileCount $listing.Count | ForEach-Object {
            if ($_.ErrorKind -eq 'SourceChanged') {
                Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "$($_.Error). The file is not in this backup set." -ErrorId SourceChanged -Category ReadError -Target $_.FullPath
            } else {
                Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "$($_.Error). The file is not in this backup set." -ErrorId SourceReadFailed -Category ReadError -Target $_.FullPath
            }
        }
        if ($null -ne $engine.Fatal) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "$($engine.Fatal). The files copied so far are kept: run the command again to resume." -ErrorId DestinationWriteFailed -Category WriteError -Target $Destination
        }
        foreach ($item in $engine.GetFailed()) {
            $failed.Add([pscustomobject]@{ Share = $item.Share; Path = $item.Path; Error = $item.Error })
        }
        $copied = $engine.Copied
        $skipped = $engine.Skipped
        $resumedCount = $engine.Resumed

        # Commit: the manifest is written last, under a temporary name, then renamed.
        $committed = Complete-VmmLibrarySet -OpenSet $open -StartTime $startTime -Shares $shares.ToArray() -Extensions $extensionList.ToArray() -Failed $failed.ToArray()
        $engine = $null
        $ordered = $committed.Entries
        $bytes = $committed.Bytes
        $endTime = $committed.EndTime

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
        # Stopped early (an error, Ctrl+C): the workers finish the file in hand before the lock goes.
        Close-VmmLibraryStore -Store $store -Engine $engine
        Write-Progress -Id $progressId -Activity $activity -Completed
    }
}
