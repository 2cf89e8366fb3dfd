function Test-VmmBackup {
    # On several servers at once: each checks its own store <Path>\<server> (Invoke-VmmFanOut).
    if ($PSBoundParameters.ContainsKey('Session') -or $PSBoundParameters.ContainsKey('ComputerName')) {
        Invoke-VmmFanOutCommand -Caller $PSCmdlet -BoundParameters $PSBoundParameters -ServerFolderParameter Path
        return
    }
    $now = Get-Date
    $setPattern = '^\d{8}_\d{6}(_\d+)?$'
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $trimmed = $full.TrimEnd('\', '/')
    if ($trimmed.Length -gt 0 -and $trimmed -notmatch '^[A-Za-z]:$') { $full = $trimmed }
    if ($full.Length -le 1 -or $full -match '^[A-Za-z]:\\?$' -or $full -match '^\\\\[^\\]+\\[^\\]+$') {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup path '$Path' is a root directory, where no backup is ever written (VMM refuses root directories). Give a backup set folder or the destination of Invoke-VmmBackup or Backup-VmmLibraryShare." -ErrorId RootBackupPath -Category InvalidArgument -Target $Path -ExceptionType ([System.ArgumentException])
    }
    if (-not [System.IO.Directory]::Exists($full)) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup path '$Path' does not exist or cannot be reached. Give a backup set folder or the destination of Invoke-VmmBackup or Backup-VmmLibraryShare." -ErrorId BackupPathNotFound -Category ObjectNotFound -Target $Path -ExceptionType ([System.IO.DirectoryNotFoundException])
    }
    # The last restore drill of each item, recorded beside the sets.
    $drills = @{}
    foreach ($drill in @(Get-VmmLastDrill -Path $full)) {
        $drills[$drill.Item] = '{0} {1:yyyy-MM-dd HH:mm:ss}Z: {2}' -f $drill.State, $drill.Time, $drill.Evidence
    }
    $newRow = {
        param([string] $Item, $ItemPath, [string] $State, $LastWriteTime, [string] $Detail)
        if ($null -ne $LastWriteTime -and ([datetime]$LastWriteTime).Kind -eq [System.DateTimeKind]::Utc) { $LastWriteTime = ([datetime]$LastWriteTime).ToLocalTime() }
        if ($State -eq 'Good' -and $null -ne $LastWriteTime -and ([datetime]$LastWriteTime) -gt $now.AddMinutes(5)) {
            # Evidence from the future: an edited manifest or a wrong clock; its age cannot be known.
            $State = 'Corrupt'
            $Detail = ('Written in the future ({0:u}, now {1:u}): its age cannot be known. Check the clock of the computer that wrote it and back up again. {2}' -f $LastWriteTime, $now, $Detail)
        }
        if ($State -eq 'Good' -and $null -ne $LastWriteTime -and ($now - $LastWriteTime).TotalHours -gt $MaxAgeHours) {
            $State = 'Stale'
            $Detail = ('Older than {0} hours (written {1:u}). {2}' -f $MaxAgeHours, $LastWriteTime, $Detail)
        }
        $when = $null
        if ($null -ne $LastWriteTime) { $when = [datetime]$LastWriteTime }
        $where = $null
        if ($null -ne $ItemPath) { $where = [string]$ItemPath }
        [pscustomobject][ordered]@{
            PSTypeName    = 'VmmBackup.BackupItemState'
            Item          = $Item
            Path          = $where
            State         = $State
            LastWriteTime = $when
            Detail        = $Detail
            LastDrill     = $drills[$Item]
        }
    }
    $testLibrary = {
        param($Set, [string] $Missing)
        if ($null -eq $Set) { return (& $newRow 'Library' $null 'Missing' $null $Missing) }
        $result = Test-VmmLibraryBackupSet -Set $Set
        & $newRow 'Library' $Set.Path $result.State $result.LastWriteTime $result.Detail
    }

    # What was given: a run of Invoke-VmmBackup, a library set or destination, or a folder holding runs.
    $itemFolders = @('database', 'registry', 'inventory', 'vmconfig')
    $isRun = [System.IO.File]::Exists([System.IO.Path]::Combine($full, 'backup-set.json'))
    if (-not $isRun) {
        foreach ($folder in $itemFolders) {
            if ([System.IO.Directory]::Exists([System.IO.Path]::Combine($full, $folder))) { $isRun = $true }
        }
    }
    $runPath = $null
    if ($isRun) {
        $runPath = $full
    } else {
        $library = Resolve-VmmLibraryBackupSet -Path $full
        $isLibraryDestination = Test-VmmLibraryDestination -Path $full
        if ($null -ne $library -or $isLibraryDestination) {
            & $testLibrary $library "No complete library backup set under '$full'. Run Backup-VmmLibraryShare."
            return
        }
        $runs = @([System.IO.Directory]::GetDirectories($full) | Where-Object { [System.IO.Path]::GetFileName($_) -match $setPattern })
        [System.Array]::Sort([System.Array]$runs, [System.Collections.IComparer][System.StringComparer]::Ordinal)
        for ($i = $runs.Count - 1; $i -ge 0 -and $null -eq $runPath; $i--) {
            if ([System.IO.File]::Exists([System.IO.Path]::Combine($runs[$i], 'backup-set.json'))) { $runPath = $runs[$i] }
        }
        if ($null -eq $runPath) {
            $detail = "No complete backup set under '$full'. Run Invoke-VmmBackup."
            if ($runs.Count -gt 0) { $detail = "No complete backup set under '$full': the newest run ($([System.IO.Path]::GetFileName($runs[$runs.Count - 1]))) did not finish. Run Invoke-VmmBackup again." }
            & $newRow 'Set' $full 'Missing' $null $detail
            return
        }
    }

    # The run's manifest: results of each item, SHA-256 of each file, the library set used.
    $manifestPath = [System.IO.Path]::Combine($runPath, 'backup-set.json')
    $setManifest = $null
    if ([System.IO.File]::Exists($manifestPath)) {
        try {
            $setManifest = Read-VmmBackupSetManifest -Path $manifestPath
            $setDetail = '{0} files listed with their SHA-256.' -f $setManifest.Files.Count
            if ($setManifest.Version -lt 2) { $setDetail += ' backup-set.json is in the format of earlier releases (version 1): its digest covers the files but not its times and item results.' }
            & $newRow 'Set' $manifestPath 'Good' $setManifest.EndTime.ToLocalTime() $setDetail
        } catch {
            & $newRow 'Set' $manifestPath 'Corrupt' $null $_.Exception.Message
        }
    } else {
        & $newRow 'Set' $manifestPath 'Missing' $null 'The set has no backup-set.json: the run that wrote it did not finish, or it was not written by Invoke-VmmBackup. Its files are checked without their hashes.'
    }
    $listed = @{}
    $itemResults = @{}
    if ($null -ne $setManifest) {
        foreach ($file in $setManifest.Files) { $listed[$file.Path] = $file }
        foreach ($item in $setManifest.Items) { $itemResults[[string]$item.Id] = $item }
    }
    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
    $buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    $readRegFile = Get-Command -Name 'Read-VmmRegFile' -CommandType Function -ErrorAction SilentlyContinue

    $checks = @(
        @{ Item = 'Database'; Folder = 'database'; Extension = '.bak'; Id = 'backup.database'; What = 'database backup (.bak)' }
        @{ Item = 'Registry'; Folder = 'registry'; Extension = '.reg'; Id = 'backup.registry'; What = 'registry export (.reg)' }
        @{ Item = 'Inventory'; Folder = 'inventory'; Extension = '.json'; Id = 'backup.inventory'; What = 'inventory snapshot (.json)' }
        @{ Item = 'VMConfiguration'; Folder = 'vmconfig'; Extension = $null; Id = 'backup.vm-configuration'; What = 'virtual machine configuration file' }
    )
    foreach ($check in $checks) {
        $folder = [System.IO.Path]::Combine($runPath, $check.Folder)
        $files = @()
        if ([System.IO.Directory]::Exists($folder)) {
            $files = @((New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $folder).GetFiles('*', [System.IO.SearchOption]::AllDirectories) | Where-Object { $null -eq $check.Extension -or $_.Extension -eq $check.Extension })
        }
        $problems = New-Object -TypeName System.Collections.Generic.List[string]
        $unverified = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($entry in $listed.Values) {
            if ((Test-VmmPathRelation -Path $entry.Path -Other $check.Folder -Relation Within) -and -not [System.IO.File]::Exists([System.IO.Path]::Combine($runPath, $entry.Path))) {
                $problems.Add("'$($entry.Path)' is listed in backup-set.json but missing")
            }
        }
        if ($files.Count -eq 0) {
            $detail = "No $($check.What) in '$folder'."
            $result = $itemResults[$check.Id]
            if ($null -ne $result) { $detail += " The run reported $($result.State)" + $(if ($result.Message) { ": $($result.Message)" } else { '.' }) }
            if ($problems.Count -gt 0) {
                & $newRow $check.Item $folder 'Corrupt' $null ($detail + ' ' + ($problems -join '; '))
            } else {
                & $newRow $check.Item $folder 'Missing' $null $detail
            }
            continue
        }
        $newest = $files[0]
        foreach ($file in $files) {
            if ($file.LastWriteTime -gt $newest.LastWriteTime) { $newest = $file }
            $relative = $file.FullName.Substring($runPath.Length).TrimStart('\', '/')
            if ($onWindows) { $relative = $relative.Replace('\', '/') }
            $entry = $listed[$relative]
            if ($null -ne $entry) {
                if ($entry.Length -ne $file.Length -or (Get-VmmFileHash -Path $file.FullName -Buffer $buffer) -ne $entry.Sha256) {
                    $problems.Add("'$relative' does not match its SHA-256 in backup-set.json")
                    continue
                }
            }
            switch ($check.Extension) {
                '.bak' {
                    # Good needs RESTORE VERIFYONLY's record naming this file, size and hash; a bare TAPE header is not enough.
                    $why = Test-VmmDscDatabaseFile -LiteralPath $file.FullName
                    if ($file.Length -eq 0) {
                        $problems.Add("'$relative' is empty")
                    } elseif ($null -ne $why -and $why.StartsWith('Corrupt:')) {
                        $problems.Add("'$relative' has no SQL Server backup header (no MTF TAPE block at offset 0)")
                    } elseif ($null -ne $why) {
                        $unverified.Add($why.Substring('Unverified: '.Length))
                    }
                }
                '.reg' {
                    $why = Test-VmmRegFileFormat -Path $file.FullName
                    if ($null -eq $why -and $null -ne $readRegFile) {
                        try { $null = & $readRegFile -Path $file.FullName } catch { $why = $_.Exception.Message }
                    }
                    if ($null -ne $why) { $problems.Add("'$relative' does not parse as a registry export: $why") }
                }
                '.json' {
                    try {
                        $parsed = [System.IO.File]::ReadAllText($file.FullName, [System.Text.Encoding]::UTF8) | ConvertFrom-Json -ErrorAction Stop
                        # An empty file is no JSON document: PowerShell 7 returns nothing for it, Windows PowerShell 5.1 fails.
                        if ($null -eq $parsed) { throw 'The file holds no JSON value.' }
                    } catch {
                        $problems.Add("'$relative' is not valid JSON")
                    }
                }
            }
        }
        $itemPath = $newest.FullName
        if ($null -eq $check.Extension) { $itemPath = $folder }
        if ($problems.Count -gt 0) {
            & $newRow $check.Item $itemPath 'Corrupt' $newest.LastWriteTime (($problems | Select-Object -First 5) -join '; ')
        } elseif ($unverified.Count -gt 0) {
            & $newRow $check.Item $itemPath 'Unverified' $newest.LastWriteTime (($unverified | Select-Object -First 5) -join ' ')
        } else {
            & $newRow $check.Item $itemPath 'Good' $newest.LastWriteTime ('{0} file(s) checked.' -f $files.Count)
        }
    }

    # The library: the set the run recorded, else a library destination next to or inside the run.
    $librarySet = $null
    $libraryMissing = 'No library backup set is recorded for this run.'
    if ($null -ne $setManifest -and -not [string]::IsNullOrEmpty([string]$setManifest.LibrarySet)) {
        $relative = [string]$setManifest.LibrarySet
        if ($onWindows) { $relative = $relative.Replace('/', '\') }
        $candidate = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($runPath), $relative)
        $librarySet = Resolve-VmmLibraryBackupSet -Path $candidate
        if ($null -eq $librarySet -or -not [System.IO.File]::Exists($librarySet.ManifestPath)) {
            $librarySet = $null
            $libraryMissing = "The library set '$candidate' recorded for this run is missing."
        }
    } elseif ($null -eq $setManifest) {
        foreach ($candidate in @([System.IO.Path]::Combine($runPath, 'library'), [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($runPath), 'library'))) {
            if ($null -eq $librarySet -and [System.IO.Directory]::Exists($candidate)) { $librarySet = Resolve-VmmLibraryBackupSet -Path $candidate }
        }
    } else {
        $result = $itemResults['backup.library']
        if ($null -ne $result) { $libraryMissing += " The run reported $($result.State)" + $(if ($result.Message) { ": $($result.Message)" } else { '.' }) }
    }
    & $testLibrary $librarySet $libraryMissing
}
