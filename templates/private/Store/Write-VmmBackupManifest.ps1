function Write-VmmBackupManifest {
    <#
    .SYNOPSIS
        Writes a library backup manifest (manifest.json) under a temporary name, flushes it to disk and renames
        it into place: the rename is the commit point of a backup set.
    .DESCRIPTION
        The bytes are made by the store's compiled code (Get-VmmLibraryStoreType: Manifest.Write), in the store
        format of the model (Get-VmmLibraryStoreFormat, written as formatVersion): the digest covers every field
        that decides a state (set name, start and end time, extensions, file count, total bytes, the failures
        with their reasons, every file), so an edited time or count is detected as a damaged manifest.
    .PARAMETER Path
        The final manifest path (<set>/manifest.json).
    .PARAMETER SetName
        Name of the backup set (its folder name).
    .PARAMETER StartTime
        When the backup started.
    .PARAMETER EndTime
        When the backup finished.
    .PARAMETER Shares
        The share paths backed up; file entries refer to them by index.
    .PARAMETER Extensions
        The extensions the backup was limited to (empty: all files).
    .PARAMETER Files
        The file entries (Share, Path with / separators, Length, Modified in Unix milliseconds, Sha256).
    .PARAMETER Failed
        Files or folders that could not be read (Share, Path, Error).
    .EXAMPLE
        Write-VmmBackupManifest -Path $manifestPath -SetName $name -StartTime $start -EndTime (Get-Date) -Shares $shares -Files $entries -Failed @()
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [Parameter(Mandatory = $true)]
        [string] $SetName,

        [Parameter(Mandatory = $true)]
        [datetime] $StartTime,

        [Parameter(Mandatory = $true)]
        [datetime] $EndTime,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]] $Shares,

        [AllowEmptyCollection()]
        [string[]] $Extensions = @(),

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Files,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Failed
    )

    $namespace = Get-VmmLibraryStoreType
    $manifestType = $namespace + '.Manifest' -as [type]
    $failureType = $namespace + '.ManifestFailure' -as [type]
    # The store's own entries (a backup's) go as they are; others (Share, Path, Length, Modified, Sha256) are converted.
    $entries = $manifestType::AsEntries($Files)
    if ($null -eq $entries) {
        $entries = New-Object -TypeName "System.Collections.Generic.List[$namespace.ManifestEntry]" -ArgumentList $Files.Count
        foreach ($file in $Files) {
            $entries.Add((New-Object -TypeName "$namespace.ManifestEntry" -ArgumentList ([int]$file.Share), ([string]$file.Path), ([long]$file.Length), ([long]$file.Modified), ([string]$file.Sha256)))
        }
    }
    $failures = New-Object -TypeName "System.Collections.Generic.List[$($failureType.FullName)]"
    foreach ($failure in $Failed) {
        $failures.Add((New-Object -TypeName $failureType.FullName -ArgumentList ([int]$failure.Share), ([string]$failure.Path), ([string]$failure.Error)))
    }
    if ($null -eq $Extensions) { $Extensions = @() }
    $manifestType::Write($Path, [int](Get-VmmLibraryStoreFormat).FormatVersion, $SetName, $StartTime, $EndTime, [string[]]$Shares, [string[]]$Extensions, $entries, $failures)
}
