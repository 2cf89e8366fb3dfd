function Complete-VmmLibrarySet {
    <#
    .SYNOPSIS
        Commits a backup set: writes its manifest last (temporary name, flushed, renamed: the commit point),
        then closes and deletes its journal and removes the other unfinished sets. Returns Entries (the
        manifest's files), Bytes (their total) and EndTime.
    .PARAMETER Store
        The store (Open-VmmLibraryStore), locked.
    .PARAMETER OpenSet
        The set and its engine (Open-VmmLibrarySet), the engine's work done.
    .PARAMETER StartTime
        When the backup started.
    .PARAMETER Shares
        The shares backed up, in the order the entries refer to them.
    .PARAMETER Extensions
        The extensions the backup was limited to (empty: every file).
    .PARAMETER Failed
        What could not be backed up (Share, Path, Error).
    .EXAMPLE
        $committed = Complete-VmmLibrarySet -Store $store -OpenSet $open -StartTime $start -Shares $shares -Extensions @() -Failed $failed
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Store,

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

    $namespace = Get-VmmLibraryStoreType
    $engine = $OpenSet.Engine
    $set = $OpenSet.Set
    $failures = New-Object -TypeName "System.Collections.Generic.List[$namespace.ManifestFailure]"
    foreach ($failure in $Failed) {
        $failures.Add((New-Object -TypeName "$namespace.ManifestFailure" -ArgumentList ([int]$failure.Share), ([string]$failure.Path), ([string]$failure.Error)))
    }
    if ($null -eq $Extensions) { $Extensions = @() }
    $entries = $engine.GetManifestEntries()
    $endTime = Get-Date
    $manifestType = $namespace + '.Manifest' -as [type]
    $manifestType::Write($set.ManifestPath, [int](Get-VmmLibraryStoreFormat).FormatVersion, $set.Name, $StartTime, $endTime, [string[]]$Shares, [string[]]$Extensions, $entries, $failures)
    $engine.CloseJournal()
    [System.IO.File]::Delete($set.JournalPath)
    foreach ($other in $OpenSet.Sets) {
        if (-not $other.Complete -and $other.Path -ne $set.Path -and [System.IO.Directory]::Exists($other.Path)) { [System.IO.Directory]::Delete($other.Path, $true) }
    }
    [pscustomobject]@{
        Entries = $entries
        Bytes   = $manifestType::TotalLength($entries)
        EndTime = $endTime
    }
}
