function Complete-VmmLibrarySet {
    <#
    .SYNOPSIS
        Commits a backup set: writes its manifest last (temporary name, flushed, renamed: the commit point),
        then closes and deletes its journal and removes the other unfinished sets. Returns Entries (the
        manifest's files), Bytes (their total) and EndTime.
    .PARAMETER OpenSet
        The set and its engine (Open-VmmLibrarySet, under the store's lock), the engine's work done.
    .PARAMETER StartTime
        When the backup started.
    .PARAMETER Shares
        The shares backed up, in the order the entries refer to them.
    .PARAMETER Extensions
        The extensions the backup was limited to (empty: every file).
    .PARAMETER Failed
        What could not be backed up (Share, Path, Error).
    .EXAMPLE
        $committed = Complete-VmmLibrarySet -OpenSet $open -StartTime $start -Shares $shares -Extensions @() -Failed $failed
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $OpenSet,

        [Parameter(Mandatory = $true)]
        [datetime] $StartTime,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]] $Shares,

        [AllowEmptyCollection()]
        [string[]] $Extensions = @(),

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Failed
    )

    $engine = $OpenSet.Engine
    $set = $OpenSet.Set
    $entries = $engine.GetManifestEntries()
    $endTime = Get-Date
    Write-VmmBackupManifest -Path $set.ManifestPath -SetName $set.Name -StartTime $StartTime -EndTime $endTime -Shares $Shares -Extensions $Extensions -Files $entries -Failed $Failed
    $engine.CloseJournal()
    [System.IO.File]::Delete($set.JournalPath)
    foreach ($other in $OpenSet.Sets) {
        if (-not $other.Complete -and $other.Path -ne $set.Path -and [System.IO.Directory]::Exists($other.Path)) { [System.IO.Directory]::Delete($other.Path, $true) }
    }
    [pscustomobject]@{
        Entries = $entries
        Bytes   = ((Get-VmmLibraryStoreType) + '.Manifest' -as [type])::TotalLength($entries)
        EndTime = $endTime
    }
}
