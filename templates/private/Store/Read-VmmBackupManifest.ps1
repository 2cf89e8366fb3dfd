function Read-VmmBackupManifest {
    <#
    .SYNOPSIS
        Reads and checks a library backup manifest (manifest.json of a Backup-VmmLibraryShare set): format,
        every entry, and the digest over every field. Throws VmmBackup.CorruptManifest when any of it is wrong,
        so a damaged set is never used, and VmmBackup.NewerStoreFormat for a manifest of a newer module.
    .DESCRIPTION
        The reading is done by the store's compiled code (Get-VmmLibraryStoreType: Manifest.Read). The store
        format is the manifest's formatVersion; manifests of earlier releases carry Version (1 or 2) instead and
        are still read: format 1 digests shares, files and failures but not the times, which the result says
        with FormatVersion (and Version) 1 so that callers can report it. The result: Path, FormatVersion,
        Version, SetPath, SetName, StartTime, EndTime (UTC), Shares, Extensions, Files (Share, Path, Length,
        Modified, Sha256), Failed (Share, Path, Error), TotalBytes.
    .PARAMETER Path
        The manifest.json file.
    .EXAMPLE
        $manifest = Read-VmmBackupManifest -Path $set.ManifestPath
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $manifestType = (Get-VmmLibraryStoreType) + '.Manifest' -as [type]
    $supported = [int](Get-VmmLibraryStoreFormat).FormatVersion
    try {
        $manifestType::Read($Path, $supported)
    } catch {
        $inner = $_.Exception
        while ($inner -is [System.Management.Automation.MethodInvocationException] -and $null -ne $inner.InnerException) { $inner = $inner.InnerException }
        if ($inner -is [System.NotSupportedException] -and $null -ne $inner.PSObject.Properties['FormatVersion']) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup manifest '$Path' is in store format $($inner.FormatVersion), written by a newer VmmBackup module; this module reads formats up to $supported. Update the VmmBackup module to read, restore or extend this backup; the set was not changed." -ErrorId NewerStoreFormat -Category NotImplemented -Target $Path -ExceptionType ([System.NotSupportedException])
        }
        $why = $inner.Message
        if ($inner -isnot [System.IO.InvalidDataException]) { $why = "it cannot be read ($($inner.Message))" }
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup manifest '$Path' is corrupt: $why. Do not restore from this set; use an older set or run Backup-VmmLibraryShare again." -ErrorId CorruptManifest -Category InvalidData -Target $Path -ExceptionType ([System.IO.InvalidDataException])
    }
}
