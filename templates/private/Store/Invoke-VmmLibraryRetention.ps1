function Invoke-VmmLibraryRetention {
    <#
    .SYNOPSIS
        Retention of a library backup destination: removes the oldest complete backup sets beyond the newest
        KeepSets, then the stored files (objects/<2 hex>/<sha256>) that no remaining set references. Returns
        Pruned (sets removed) and FreedBytes.
    .DESCRIPTION
        The caller holds the destination's lock (the lock Backup-VmmLibraryShare takes), so no backup writes
        while this runs. Rules:
        - Only complete sets whose manifest reads and checks are removed, and the set named by -CurrentSet is
          always kept.
        - A set whose manifest is damaged is never removed: it is reported with a warning, and since the files
          it refers to cannot be known, no stored file is removed while it is there.
        - An unfinished set (journal.jsonl, no manifest) is never removed, and every stored file its journal
          names is kept (a later run may resume it).
        - Only good sets count towards KeepSets: complete, readable, with at least one file from every share
          they cover, no file that could not be read, an end time not in the future, every stored file present
          at its size, and not under half of the files or of the bytes of the good set before it (a share
          that is empty, unmounted or lost most of its files looks like that). Sets older than the oldest of the
          newest KeepSets good sets are removed, whether good or not; newer ones are kept. While fewer than
          KeepSets good sets exist, no set is removed. A kept set that does not count is reported with a
          warning saying why.
        Order, so that a process killed at any point leaves every remaining set verifiable:
        1. Each set to remove is first renamed in one step from sets/<name> to sets/<name>.removing. The
           listing of sets takes only folders named like a set, so at every moment a set is either complete
           (manifest and all its stored files present) or not listed at all; it never looks unfinished (and so
           is never resumed) nor complete with files missing. The renamed folder is then deleted; a leftover
           .removing folder of a killed run is deleted by the next run.
        2. Only then are the stored files swept: the references are read from every set still listed
           (manifests and journals), and only files none of them names are deleted. A file named by a remaining
           set is never deleted, so a kill during the sweep only leaves unreferenced files behind, which the
           next run removes.
    .PARAMETER Destination
        The library backup destination (full path).
    .PARAMETER KeepSets
        How many complete sets to keep.
    .PARAMETER CurrentSet
        Name of the set just written: never removed.
    .PARAMETER ReserveNewSet
        Count one set about to be written (a -WhatIf preview): keep only KeepSets - 1 existing sets.
    .PARAMETER ProgressId
        Write-Progress id.
    .PARAMETER Activity
        Write-Progress activity.
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Destination,

        [Parameter(Mandatory = $true)]
        [int] $KeepSets,

        [string] $CurrentSet,

        [switch] $ReserveNewSet,

        [int] $ProgressId = 1,

        [string] $Activity = 'Applying the retention of the library backup'
    )

    $setsRoot = [System.IO.Path]::Combine($Destination, 'sets')
    $objectsRoot = [System.IO.Path]::Combine($Destination, 'objects')
    $pruned = 0
    $freed = [long]0
    $suffix = '.removing'
    $sizeOf = {
        param([string] $Folder)
        $sum = [long]0
        foreach ($item in [System.IO.Directory]::GetFiles($Folder, '*', [System.IO.SearchOption]::AllDirectories)) {
            $sum += (New-Object -TypeName System.IO.FileInfo -ArgumentList $item).Length
        }
        $sum
    }
    if (-not [System.IO.Directory]::Exists($setsRoot)) {
        return [pscustomobject]@{ Pruned = 0; FreedBytes = [long]0 }
    }

    # Leftovers of a removal killed after its rename: no longer a set, only space to free.
    foreach ($leftover in [System.IO.Directory]::GetDirectories($setsRoot, '*' + $suffix)) {
        if ($PSCmdlet.ShouldProcess($leftover, 'Remove the rest of a backup set whose removal was interrupted')) {
            try {
                $size = & $sizeOf $leftover
                [System.IO.Directory]::Delete($leftover, $true)
                $freed += $size
            } catch {
                Write-Warning "Cannot remove '$leftover' (left by an interrupted removal): $($_.Exception.Message). The next run tries again."
            }
        }
    }

    # Classify the sets: readable complete sets (known references), damaged ones (unknown references),
    # unfinished ones (references in the journal).
    Write-Progress -Id $ProgressId -Activity $Activity -Status 'Reading the backup sets'
    $readable = New-Object -TypeName System.Collections.Generic.List[object]
    $damaged = New-Object -TypeName System.Collections.Generic.List[object]
    $unfinished = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($set in @(Get-VmmLibraryBackupSet -Destination $Destination)) {
        if ($set.Complete) {
            try {
                $manifest = Read-VmmBackupManifest -Path $set.ManifestPath
                $readable.Add([pscustomobject]@{ Set = $set; Manifest = $manifest })
            } catch {
                $damaged.Add($set)
                Write-Warning "The backup set '$($set.Path)' has a damaged manifest, so the files it refers to are unknown: the set is not removed, and no stored file is removed while it is there. Check it with Test-VmmBackup -Path '$($set.Path)' and remove the folder yourself if it is not needed. ($($_.Exception.Message))"
            }
        } else {
            $unfinished.Add($set)
        }
    }

    # Which sets count towards KeepSets: only good ones, so that sets of an empty or unmounted share, or of a
    # share that lost most of its files, never push the last good data out.
    $objectLengths = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,long]' -ArgumentList ([System.StringComparer]::Ordinal)
    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    $lengthOf = {
        param([string] $Hash)
        $length = [long]-1
        if (-not $objectLengths.TryGetValue($Hash, [ref]$length)) {
            $info = New-Object -TypeName System.IO.FileInfo -ArgumentList ($storeType::ObjectPath($objectsRoot, $Hash))
            $length = [long]-1
            if ($info.Exists) { $length = $info.Length }
            $objectLengths[$Hash] = $length
        }
        $length
    }
    $counted = New-Object -TypeName System.Collections.Generic.List[int]
    $lastGood = $null
    $latest = [datetime]::UtcNow.AddMinutes(5)
    for ($position = 0; $position -lt $readable.Count; $position++) {
        $entry = $readable[$position]
        $manifest = $entry.Manifest
        $why = $null
        $perShare = New-Object -TypeName 'int[]' -ArgumentList $manifest.Shares.Count
        foreach ($file in $manifest.Files) { $perShare[[int]$file.Share]++ }
        if ($manifest.Files.Count -eq 0) {
            $why = 'it holds no file'
        } elseif ($perShare -contains 0) {
            $why = 'it holds no file from one of its shares'
        } elseif ($manifest.Failed.Count -gt 0) {
            $why = "$($manifest.Failed.Count) file(s) or folder(s) could not be read when it was taken"
        } elseif ($manifest.EndTime -gt $latest) {
            $why = 'it ends in the future'
        } elseif ($null -ne $lastGood -and ((2 * $manifest.Files.Count -lt $lastGood.Manifest.Files.Count) -or (2 * $manifest.TotalBytes -lt $lastGood.Manifest.TotalBytes))) {
            $why = ('it holds under half of the files or bytes of the good set before it, {0} ({1} files, {2:N0} MB, against {3} files, {4:N0} MB)' -f $lastGood.Set.Name, $manifest.Files.Count, ($manifest.TotalBytes / 1MB), $lastGood.Manifest.Files.Count, ($lastGood.Manifest.TotalBytes / 1MB))
        } else {
            foreach ($file in $manifest.Files) {
                if ((& $lengthOf ([string]$file.Sha256)) -ne [long]$file.Length) { $why = "the stored copy of '$($file.Path)' is missing or has another size"; break }
            }
        }
        if ($null -eq $why) {
            $counted.Add($position)
            $lastGood = $entry
        } else {
            $entry | Add-Member -NotePropertyName NotCounted -NotePropertyValue $why
        }
    }

    $keep = $KeepSets
    if ($ReserveNewSet) { $keep = $KeepSets - 1 }
    # Every set older than the oldest of the newest KeepSets good sets may go; nothing goes while fewer good
    # sets exist.
    $cutoff = -1
    if ($counted.Count -gt $keep) {
        if ($keep -le 0) { $cutoff = $readable.Count } else { $cutoff = $counted[$counted.Count - $keep] }
    } elseif ($counted.Count -lt $keep) {
        Write-Warning ("No backup set was removed: only {0} set(s) count as good and complete for -KeepSets {1}." -f $counted.Count, $KeepSets)
    }
    $toRemove = New-Object -TypeName System.Collections.Generic.List[object]
    $kept = New-Object -TypeName System.Collections.Generic.List[object]
    for ($i = 0; $i -lt $readable.Count; $i++) {
        if ($i -lt $cutoff -and $readable[$i].Set.Name -ne $CurrentSet) {
            $toRemove.Add($readable[$i])
        } else {
            $kept.Add($readable[$i])
            if ($null -ne $readable[$i].PSObject.Properties['NotCounted']) {
                Write-Warning "The backup set '$($readable[$i].Set.Path)' is kept but not counted by -KeepSets: $($readable[$i].NotCounted). If the library really shrank, remove the older sets you no longer need yourself."
            }
        }
    }

    $index = 0
    foreach ($entry in $toRemove) {
        $index++
        $set = $entry.Set
        Write-Progress -Id $ProgressId -Activity $Activity -Status ('Removing backup set {0} ({1} of {2})' -f $set.Name, $index, $toRemove.Count) -PercentComplete ([int](50.0 * ($index - 1) / $toRemove.Count))
        if (-not $PSCmdlet.ShouldProcess($set.Path, 'Remove library backup set')) {
            # A preview counts the set as removed, to show the stored files only it uses.
            if (-not $ReserveNewSet) { $kept.Add($entry) }
            continue
        }
        $renamed = $set.Path + $suffix
        try {
            [System.IO.Directory]::Move($set.Path, $renamed)
        } catch {
            $kept.Add($entry)
            Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "Cannot remove the backup set '$($set.Path)': $($_.Exception.Message). It is kept, with its files; the next run tries again." -ErrorId RetentionSetRemoveFailed -Category WriteError -Target $set.Path
            continue
        }
        $pruned++
        try {
            $size = & $sizeOf $renamed
            [System.IO.Directory]::Delete($renamed, $true)
            $freed += $size
        } catch {
            Write-Warning "The backup set '$($set.Name)' is removed, but its folder '$renamed' could not be deleted: $($_.Exception.Message). The next run tries again."
        }
    }

    if ($damaged.Count -gt 0) {
        Write-Warning "No stored file was removed: $($damaged.Count) backup set(s) have a damaged manifest ($((@($damaged | ForEach-Object { $_.Name })) -join ', '))."
        Write-Progress -Id $ProgressId -Activity $Activity -Completed
        return [pscustomobject]@{ Pruned = $pruned; FreedBytes = $freed }
    }

    # References of every set still listed.
    $referenced = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::Ordinal)
    foreach ($entry in $kept) {
        foreach ($file in $entry.Manifest.Files) { $null = $referenced.Add(([string]$file.Sha256).ToLowerInvariant()) }
    }
    $hashPattern = New-Object -TypeName System.Text.RegularExpressions.Regex -ArgumentList '[0-9a-f]{64}'
    foreach ($set in $unfinished) {
        if (-not [System.IO.File]::Exists($set.JournalPath)) { continue }
        try {
            $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $set.JournalPath, ([System.IO.FileMode]::Open), ([System.IO.FileAccess]::Read), ([System.IO.FileShare]::ReadWrite)
            try {
                $reader = New-Object -TypeName System.IO.StreamReader -ArgumentList $stream, ([System.Text.Encoding]::UTF8)
                $text = $reader.ReadToEnd()
            } finally {
                $stream.Dispose()
            }
        } catch {
            Write-Warning "No stored file was removed: the journal of the unfinished backup set '$($set.Path)' cannot be read ($($_.Exception.Message))."
            Write-Progress -Id $ProgressId -Activity $Activity -Completed
            return [pscustomobject]@{ Pruned = $pruned; FreedBytes = $freed }
        }
        # Every SHA-256 in the journal, even on a damaged line, is kept.
        foreach ($match in $hashPattern.Matches($text)) { $null = $referenced.Add($match.Value) }
    }

    $candidates = New-Object -TypeName System.Collections.Generic.List[System.IO.FileInfo]
    if ([System.IO.Directory]::Exists($objectsRoot)) {
        foreach ($folder in (New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $objectsRoot).GetDirectories()) {
            if ($folder.Name -cnotmatch '^[0-9a-f]{2}$') { continue }
            foreach ($file in $folder.GetFiles()) {
                if ($file.Name -cmatch '^[0-9a-f]{64}$' -and $file.Name.StartsWith($folder.Name, [System.StringComparison]::Ordinal) -and -not $referenced.Contains($file.Name)) {
                    $candidates.Add($file)
                }
            }
        }
    }
    $sweepAction = 'Remove {0} stored files that no kept backup set references'
    # A preview cannot know which of them the new set would use again.
    if ($ReserveNewSet) { $sweepAction = 'Remove up to {0} stored files that no kept backup set references (those the new set does not use again)' }
    if ($candidates.Count -gt 0 -and $PSCmdlet.ShouldProcess($objectsRoot, ($sweepAction -f $candidates.Count))) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $index = 0
        foreach ($file in $candidates) {
            $index++
            try {
                $freed += Remove-VmmLibraryObjectFile -File $file
            } catch {
                Write-Warning "Cannot remove the unreferenced stored file '$($file.FullName)': $($_.Exception.Message). The next run tries again."
            }
            if ($watch.ElapsedMilliseconds -ge 250) {
                $watch.Reset()
                $watch.Start()
                Write-Progress -Id $ProgressId -Activity $Activity -Status ('Removing unreferenced stored files: {0} of {1}' -f $index, $candidates.Count) -PercentComplete ([int](50 + 50.0 * $index / $candidates.Count))
            }
        }
    }
    Write-Progress -Id $ProgressId -Activity $Activity -Completed
    [pscustomobject]@{ Pruned = $pruned; FreedBytes = $freed }
}
