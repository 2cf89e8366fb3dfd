function Get-VmmLibraryBackupSet {
    <#
    .SYNOPSIS
        Lists the backup sets under a Backup-VmmLibraryShare destination, oldest first, telling complete sets
        (manifest.json present) from interrupted ones (journal only).
    .DESCRIPTION
        Layout of a library destination:
            <Destination>/objects/<first two hex digits>/<sha256>   file contents, named by their SHA-256,
                                                                    written once (temporary name, then rename)
            <Destination>/objects/tmp/                              temporary files of a running copy
            <Destination>/sets/<yyyyMMdd_HHmmss>/manifest.json      a complete set (written last = commit)
            <Destination>/sets/<yyyyMMdd_HHmmss>/journal.jsonl      files done so far by an unfinished run
    .PARAMETER Destination
        The library backup destination.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Destination
    )

    $setsRoot = [System.IO.Path]::Combine($Destination, 'sets')
    if (-not [System.IO.Directory]::Exists($setsRoot)) { return }
    $names = @([System.IO.Directory]::GetDirectories($setsRoot) | ForEach-Object { [System.IO.Path]::GetFileName($_) } | Where-Object { $_ -match '^\d{8}_\d{6}(_\d+)?$' })
    [System.Array]::Sort([System.Array]$names, [System.Collections.IComparer][System.StringComparer]::Ordinal)
    foreach ($name in $names) {
        $setPath = [System.IO.Path]::Combine($setsRoot, $name)
        $manifestPath = [System.IO.Path]::Combine($setPath, 'manifest.json')
        [pscustomobject]@{
            Name         = $name
            Path         = $setPath
            ManifestPath = $manifestPath
            JournalPath  = [System.IO.Path]::Combine($setPath, 'journal.jsonl')
            Complete     = [System.IO.File]::Exists($manifestPath)
        }
    }
}
