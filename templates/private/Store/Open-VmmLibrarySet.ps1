function Open-VmmLibrarySet {
    <#
    .SYNOPSIS
        Opens the set a backup writes into, with its copy engine ready: the newest unfinished set newer than the
        last complete one is resumed from its journal, otherwise a new set is made. The engine knows the base
        (the newest readable complete set that holds files) so that unchanged files are not copied again.
    .DESCRIPTION
        Returns Set (Name, Path, ManifestPath, JournalPath, Complete), Engine (the backup engine, its journal
        open for appending) and Sets (every set of the destination before this run). A damaged complete set is
        not a base (a warning says so).
    .PARAMETER Store
        The store (Open-VmmLibraryStore), locked.
    .PARAMETER IgnoreCase
        File paths compare without case (Windows).
    .EXAMPLE
        $open = Open-VmmLibrarySet -Store $store -IgnoreCase:$onWindows
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Store,

        [switch] $IgnoreCase
    )

    $sets = @(Get-VmmLibraryBackupSet -Destination $Store.Destination)
    $engine = New-VmmCopyEngine -Kind Backup -ObjectsRoot $Store.ObjectsPath -TemporaryRoot $Store.TemporaryPath -IgnoreCase:$IgnoreCase
    # The base: the newest readable complete set that holds files (an empty set, of an unmounted share, is none).
    for ($i = $sets.Count - 1; $i -ge 0; $i--) {
        if (-not $sets[$i].Complete) { continue }
        try {
            $previous = Read-VmmBackupManifest -Path $sets[$i].ManifestPath
        } catch {
            Write-Warning "Ignoring the damaged backup set '$($sets[$i].Path)' as a base for this backup: $($_.Exception.Message)"
            continue
        }
        if ($previous.Files.Count -gt 0) {
            $engine.AddKnownManifest($previous)
            break
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
        while ([System.IO.Directory]::Exists([System.IO.Path]::Combine($Store.SetsPath, $candidate))) {
            $suffix++
            $candidate = $name + '_' + $suffix
        }
        $setPath = [System.IO.Path]::Combine($Store.SetsPath, $candidate)
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
    [pscustomobject]@{
        Set    = $set
        Engine = $engine
        Sets   = $sets
    }
}
