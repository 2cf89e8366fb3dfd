function Restore-VmmLibraryShare {
    # On several servers at once: each restores its own set from <BackupSet>\<server> (Invoke-VmmFanOut).
    if ($PSBoundParameters.ContainsKey('Session') -or $PSBoundParameters.ContainsKey('ComputerName')) {
        Invoke-VmmFanOutCommand -Caller $PSCmdlet -BoundParameters $PSBoundParameters -ServerFolderParameter BackupSet -ConfirmOnce
        return
    }
    $startTime = Get-Date

    # The set: a set folder, or a library destination (its newest complete set).
    $set = Resolve-VmmLibraryBackupSet -Path $BackupSet
    if ($null -eq $set) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "'$BackupSet' is not a library backup set (a folder sets\<name> holding manifest.json) nor a Backup-VmmLibraryShare destination with a complete set." -ErrorId BackupSetNotFound -Category ObjectNotFound -Target $BackupSet
    }
    if (-not $set.Complete) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup set '$($set.Path)' is incomplete: its backup was interrupted before the manifest was written. Restore from a complete set, or run Backup-VmmLibraryShare again to finish it." -ErrorId IncompleteBackupSet -Category InvalidData -Target $set.Path
    }
    try {
        $manifest = Read-VmmBackupManifest -Path $set.ManifestPath
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "$($_.Exception.Message) Nothing was restored." -ErrorId CorruptBackupSet -Category InvalidData -Target $set.Path
    }

    # Which share of the set.
    $shareIndex = -1
    if ($PSBoundParameters.ContainsKey('Share')) {
        $wanted = $Share.TrimEnd('\', '/')
        for ($i = 0; $i -lt $manifest.Shares.Count; $i++) {
            if ($manifest.Shares[$i].TrimEnd('\', '/').Equals($wanted, [System.StringComparison]::OrdinalIgnoreCase)) { $shareIndex = $i }
        }
        if ($shareIndex -lt 0) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup set '$($set.Path)' holds no share '$Share'. It holds: $($manifest.Shares -join ', ')." -ErrorId ShareNotInBackupSet -Category ObjectNotFound -Target $Share
        }
    } elseif ($manifest.Shares.Count -eq 1) {
        $shareIndex = 0
    } else {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup set '$($set.Path)' holds $($manifest.Shares.Count) shares ($($manifest.Shares -join ', ')). Name the one to restore with -Share." -ErrorId ShareNotChosen -Category InvalidArgument -Target $set.Path
    }

    # The target share must exist: restore the file server share first, then its data (the specification's order).
    $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Destination)
    $trimmed = $target.TrimEnd('\', '/')
    if ($trimmed.Length -eq 0 -or $trimmed -match '^[A-Za-z]:$') {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The destination '$Destination' is the root of a file system. Restore onto the library share folder (for example \\lib01\MSSCVMMLibrary or D:\Library)." -ErrorId RootDestination -Category InvalidArgument -Target $Destination
    }
    $target = $trimmed
    if (-not [System.IO.Directory]::Exists($target)) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The share '$Destination' does not exist or cannot be reached. Restore the file server share first, then its data, and check that this account can write there." -ErrorId DestinationUnreachable -Category ObjectNotFound -Target $Destination
    }

    # Refuse a damaged set before touching anything: every file present at its size, every path safe here, no
    # link on the way to a file.
    $plan = Get-VmmLibraryRestorePlan -Set $set -Manifest $manifest -Share $shareIndex -Target $target
    $problems = $plan.Problems
    $links = $plan.Links
    if ($problems.Count -gt 0) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message ("The backup set '$($set.Path)' is corrupt: {0} file(s) cannot be restored ({1}). Nothing was restored; use another set." -f $problems.Count, (($problems | Select-Object -First 3) -join '; ')) -ErrorId CorruptBackupSet -Category InvalidData -Target $set.Path
    }
    if ($links.Count -gt 0) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message ("The destination '$Destination' holds {0} link(s), junction(s) or mount point(s) on the way to files of the backup ({1}): a restore never writes through a link, which could lead outside the share. Nothing was restored. Remove the links, or restore into an empty folder and move the files yourself." -f $links.Count, (($links | Select-Object -First 3) -join ', ')) -ErrorId LinkInDestination -Category InvalidArgument -Target $links[0]
    }
    if ($manifest.Failed.Count -gt 0) {
        Write-Warning "The backup set '$($set.Path)' is incomplete: $($manifest.Failed.Count) file(s) or folder(s) could not be read when it was taken; they cannot be restored from it."
    }

    if (-not $PSCmdlet.ShouldProcess($target, ('Restore {0} files ({1:N0} MB) of share {2} from backup set {3}' -f $plan.Items.Count, ($plan.TotalBytes / 1MB), $manifest.Shares[$shareIndex], $set.Path))) {
        return
    }

    $activity = "Restoring library share data onto $target"
    # The copy engine (compiled, several threads) checks, copies, verifies and renames each file; one progress
    # bar for the whole restore, errors reported as files finish.
    $engine = New-VmmCopyEngine -Kind Restore -Force:$Force
    $engine.AddPlan($plan)
    # Connecting to VMM and finding the share (seconds on a busy server) needs nothing of the copy: it runs while
    # the workers copy, and the refresh itself after them.
    $vmm = @{ Share = $null; Problem = $null }
    $findVmmShare = {
        try {
            $connection = Get-VmmServerConnection -VMMServer $VMMServer
            foreach ($candidate in @(Get-SCLibraryShare -VMMServer $connection -ErrorAction Stop)) {
                if ($null -ne $candidate -and ([string]$candidate.Path).TrimEnd('\', '/').Equals($target, [System.StringComparison]::OrdinalIgnoreCase)) { $vmm.Share = $candidate }
            }
        } catch {
            $vmm.Problem = $_.Exception.Message
        }
    }
    try {
        Wait-VmmCopyEngine -Engine $engine -ProgressId $progressId -Activity $activity -FileCount $plan.Items.Count -Meanwhile $findVmmShare | ForEach-Object {
            $item = $_
            switch ($item.Status) {
                'Differs' { Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "'$($item.Target)' exists and differs from the backup. It was left as it is; use -Force to overwrite it." -ErrorId FileDiffers -Category ResourceExists -Target $item.Target }
                'Unreadable' { Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "$($item.Error). '$($item.Target)' was not restored." -ErrorId BackupFileUnreadable -Category ReadError -Target $item.ObjectPath }
                'HashMismatch' { Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "The backup copy of '$($item.Path)' does not match its SHA-256 in the manifest (the backup store is damaged). '$($item.Target)' was left as it is." -ErrorId HashMismatch -Category InvalidData -Target $item.ObjectPath }
            }
        }
    } finally {
        Write-Progress -Id $progressId -Activity $activity -Completed
    }
    $restored = $engine.Restored
    $identical = $engine.Identical
    $failedCount = $engine.Failed
    $bytes = $engine.Bytes
    if ($null -ne $engine.Fatal) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "$($engine.Fatal). $restored file(s) were restored before the failure; run the command again to finish." -ErrorId DestinationWriteFailed -Category WriteError -Target $Destination
    }

    # Let VMM see the restored files when it manages this share (found while the files were copied).
    $vmmShare = $vmm.Share
    if ($null -ne $vmm.Problem) {
        Write-Warning "The share was restored but VMM could not be asked to refresh it: $($vmm.Problem) Refresh the library share in the VMM console."
    } elseif ($null -ne $vmmShare) {
        try {
            $null = Read-SCLibraryShare -LibraryShare $vmmShare -ErrorAction Stop
        } catch {
            Write-Warning "The share was restored but refreshing it in VMM failed: $($_.Exception.Message) Refresh the library share in the VMM console."
        }
    } else {
        Write-Verbose "VMM does not list '$target' as a library share; no refresh was requested."
    }

    [pscustomobject][ordered]@{
        PSTypeName  = 'VmmBackup.LibraryRestore'
        BackupSet   = $set.Path
        Destination = $target
        Share       = $manifest.Shares[$shareIndex]
        Files       = $restored + $identical
        Bytes       = $bytes
        Restored    = $restored
        Identical   = $identical
        Failed      = $failedCount
        Verified    = ($failedCount -eq 0)
        StartTime   = $startTime
        EndTime     = Get-Date
    }
}
