function Resolve-VmmDrillSource {
    <#
    .SYNOPSIS
        What a restore drill restores from a path: the backup files of each item and the folder its drill
        record goes to.
    .DESCRIPTION
        Path may be a set of Invoke-VmmBackup (a folder <yyyyMMdd_HHmmss> with database\, registry\,
        inventory\ and backup-set.json), a destination holding such sets (the newest with a backup-set.json),
        a Backup-VmmLibraryShare destination or set, or a folder of .bak and .reg files (Backup-VmmDatabase,
        Backup-VmmRegistrySetting). Returns Root (where drills\ is kept: the destination), SetName, Database,
        Registry and Inventory (FileInfo arrays, newest first) and Library (a set of Resolve-VmmLibraryBackupSet
        or $null), with LibraryDetail saying why there is none. Throws when the path does not exist.
    .PARAMETER Path
        The path given to Invoke-VmmRestoreDrill.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $full = Resolve-VmmBackupPath -Path $Path
    if (-not [System.IO.Directory]::Exists($full)) {
        throw "The backup path '$Path' does not exist or cannot be reached. Give a backup destination, a backup set folder, or a library backup destination."
    }
    $setPattern = '^\d{8}_\d{6}(_\d+)?$'
    $filesOf = {
        param([string] $Folder, [string] $Extension, [bool] $Recurse)
        if (-not [System.IO.Directory]::Exists($Folder)) { return , @() }
        $option = [System.IO.SearchOption]::TopDirectoryOnly
        if ($Recurse) { $option = [System.IO.SearchOption]::AllDirectories }
        # The extension is checked after the search: Windows also matches 8.3 short names (x.bakold for *.bak).
        $found = @((New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $Folder).GetFiles('*' + $Extension, $option) | Where-Object { $_.Extension -eq $Extension } | Sort-Object -Property LastWriteTimeUtc -Descending)
        return , $found
    }
    $result = [ordered]@{ Root = $full; SetName = $null; Database = @(); Registry = @(); Inventory = @(); Library = $null; LibraryDetail = 'No library backup set was found with this backup.' }

    $isRun = [System.IO.File]::Exists([System.IO.Path]::Combine($full, 'backup-set.json'))
    foreach ($folder in 'database', 'registry', 'inventory') {
        if ([System.IO.Directory]::Exists([System.IO.Path]::Combine($full, $folder))) { $isRun = $true }
    }
    $library = $null
    if (-not $isRun) {
        $library = Resolve-VmmLibraryBackupSet -Path $full
        $isLibraryDestination = Test-VmmLibraryDestination -Path $full
        if ($null -ne $library -or $isLibraryDestination) {
            if ($null -ne $library) {
                $result.Library = $library
                $result.SetName = $library.Name
                $result.Root = [System.IO.Path]::GetDirectoryName($library.ObjectsPath)
            } else {
                $result.LibraryDetail = "No complete library backup set under '$full'. Run Backup-VmmLibraryShare."
            }
            return [pscustomobject]$result
        }
        $runs = @([System.IO.Directory]::GetDirectories($full) | Where-Object { [System.IO.Path]::GetFileName($_) -match $setPattern })
        [System.Array]::Sort([System.Array]$runs, [System.Collections.IComparer][System.StringComparer]::Ordinal)
        for ($i = $runs.Count - 1; $i -ge 0; $i--) {
            if ([System.IO.File]::Exists([System.IO.Path]::Combine($runs[$i], 'backup-set.json'))) {
                $result.Root = $full
                $full = $runs[$i]
                $isRun = $true
                break
            }
        }
    } else {
        $result.Root = [System.IO.Path]::GetDirectoryName($full)
    }

    if (-not $isRun) {
        # A folder of backups written by Backup-VmmDatabase or Backup-VmmRegistrySetting.
        $result.Database = & $filesOf $full '.bak' $false
        $result.Registry = & $filesOf $full '.reg' $false
        return [pscustomobject]$result
    }
    $result.SetName = [System.IO.Path]::GetFileName($full)
    $result.Database = & $filesOf ([System.IO.Path]::Combine($full, 'database')) '.bak' $true
    $result.Registry = & $filesOf ([System.IO.Path]::Combine($full, 'registry')) '.reg' $true
    $result.Inventory = & $filesOf ([System.IO.Path]::Combine($full, 'inventory')) '.json' $true

    # The library set the run recorded, else a library destination inside or next to the run.
    $manifestPath = [System.IO.Path]::Combine($full, 'backup-set.json')
    $recorded = $null
    if ([System.IO.File]::Exists($manifestPath)) {
        try {
            $recorded = [string](Read-VmmBackupSetManifest -Path $manifestPath).LibrarySet
        } catch {
            $result.LibraryDetail = "The set's backup-set.json cannot be read: $($_.Exception.Message)"
        }
    }
    if (-not [string]::IsNullOrEmpty($recorded)) {
        if ([System.IO.Path]::DirectorySeparatorChar -eq '\') { $recorded = $recorded.Replace('/', '\') }
        $candidate = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($full), $recorded)
        $library = Resolve-VmmLibraryBackupSet -Path $candidate
        if ($null -eq $library) { $result.LibraryDetail = "The library set '$candidate' recorded for this backup set is missing." }
    } else {
        foreach ($candidate in @([System.IO.Path]::Combine($full, 'library'), [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($full), 'library'))) {
            if ($null -eq $library -and [System.IO.Directory]::Exists($candidate)) { $library = Resolve-VmmLibraryBackupSet -Path $candidate }
        }
    }
    $result.Library = $library
    [pscustomobject]$result
}
