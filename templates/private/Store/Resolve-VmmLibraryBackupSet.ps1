function Resolve-VmmLibraryBackupSet {
    <#
    .SYNOPSIS
        Given a library backup set folder, or a Backup-VmmLibraryShare destination (then its newest complete
        set), returns the set: Name, Path, ManifestPath, ObjectsPath, Complete, ManifestWriteTime (UTC, $null
        without a manifest). Returns nothing when the folder
        is neither, or when a destination has no complete set.
    .PARAMETER Path
        A set folder (sets/<name>) or a library destination (holds sets/ and objects/).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $trimmed = $full.TrimEnd('\', '/')
    if ($trimmed.Length -gt 0) { $full = $trimmed }
    if (-not [System.IO.Directory]::Exists($full)) { return }
    $manifestPath = [System.IO.Path]::Combine($full, 'manifest.json')
    $journalPath = [System.IO.Path]::Combine($full, 'journal.jsonl')
    $parent = [System.IO.Path]::GetDirectoryName($full)
    $isSet = ([System.IO.File]::Exists($manifestPath) -or [System.IO.File]::Exists($journalPath)) -and $null -ne $parent -and [System.IO.Path]::GetFileName($parent) -eq 'sets'
    if ($isSet) {
        $root = [System.IO.Path]::GetDirectoryName($parent)
        return [pscustomobject]@{
            Name              = [System.IO.Path]::GetFileName($full)
            Path              = $full
            ManifestPath      = $manifestPath
            ObjectsPath       = [System.IO.Path]::Combine($root, 'objects')
            Complete          = [System.IO.File]::Exists($manifestPath)
            ManifestWriteTime = $(if ([System.IO.File]::Exists($manifestPath)) { [System.IO.File]::GetLastWriteTimeUtc($manifestPath) } else { $null })
        }
    }
    if (Test-VmmLibraryDestination -Path $full) {
        $newest = @(Get-VmmLibraryBackupSet -Destination $full | Where-Object { $_.Complete }) | Select-Object -Last 1
        if ($null -ne $newest) {
            return [pscustomobject]@{
                Name              = $newest.Name
                Path              = $newest.Path
                ManifestPath      = $newest.ManifestPath
                ObjectsPath       = [System.IO.Path]::Combine($full, 'objects')
                Complete          = $true
                ManifestWriteTime = [System.IO.File]::GetLastWriteTimeUtc($newest.ManifestPath)
            }
        }
    }
}
