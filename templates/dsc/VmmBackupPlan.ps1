    # Each checked item of the plan: the procedure, its newest backup under Destination, its age limit.
    hidden [object[]] GetItemStates([hashtable] $desired)
    {
        $info = $this.GetResourceInfo()
        $root = $desired['Destination']
        $skipIds = @()
        if ($desired.ContainsKey('Skip')) {
            $skipIds = @($desired['Skip'])
        }
        $items = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($item in $info.Covers) {
            if ($skipIds -contains $item.Procedure) {
                continue
            }
            $state = $null
            switch ($item.Resource) {
                'VmmDatabaseBackup' {
                    $state = Get-VmmDscDatabaseBackup -Path $root -Depth $info.SearchDepth
                }
                'VmmRegistryBackup' {
                    $state = Get-VmmDscRegistryBackup -Path $root -SettingsKey $info.SettingsKey -SqlSubkey $info.SqlSubkey -Depth $info.SearchDepth
                }
                'VmmLibraryBackup' {
                    $state = $this.GetLibraryState($root, $info.SearchDepth)
                }
                default {
                    throw ('{0}: no check is known for {1}.' -f $this.GetType().Name, $item.Resource)
                }
            }
            $limit = $item.MaxAgeHours
            if ($desired.ContainsKey('MaxAgeHours')) {
                $limit = $desired['MaxAgeHours']
            }
            $problem = $null
            $property = 'Destination'
            if (-not $state.Found) {
                $problem = $state.Detail
            } elseif (-not $state.Verified) {
                $problem = $state.Detail
            } elseif ($null -ne $limit -and $state.AgeHours -gt $limit) {
                $property = 'MaxAgeHours'
                $problem = ('The newest backup ''{0}'' is {1:N1} hours old; at most {2} hours are allowed.' -f $state.LatestBackup, $state.AgeHours, $limit)
            }
            $items.Add([pscustomobject]@{ Procedure = $item.Procedure; State = $state; Problem = $problem; Property = $property })
        }
        return $items.ToArray()
    }

    # The library destination under the plan's destination: a folder that holds sets/ (the newest wins).
    hidden [object] GetLibraryState([string] $root, [int] $depth)
    {
        $best = Get-VmmDscLibraryBackup -Destination $root
        if ($best.Found) {
            return $best
        }
        if (Test-Path -LiteralPath $root -PathType Container) {
            $roots = @(Get-ChildItem -LiteralPath $root -Directory -Recurse -Depth $depth -ErrorAction SilentlyContinue |
                    Where-Object { $_.Name -eq 'sets' } | ForEach-Object { $_.Parent.FullName })
            foreach ($libraryRoot in $roots) {
                $candidate = Get-VmmDscLibraryBackup -Destination $libraryRoot
                if (-not $candidate.Found) {
                    continue
                }
                if (-not $best.Found -or ($candidate.Verified -and -not $best.Verified) -or
                    ($candidate.Verified -eq $best.Verified -and $candidate.LatestBackupTime -gt $best.LatestBackupTime)) {
                    $best = $candidate
                }
            }
        }
        if (-not $best.Found) {
            $best.Detail = "The folder '$root' holds no library backup set (a folder with sets/<name>/manifest.json)."
        }
        return $best
    }

    hidden [hashtable] GetCurrentState([hashtable] $desired)
    {
        $items = $this.GetItemStates($desired)
        $stale = @($items | Where-Object { $null -ne $_.Problem } | ForEach-Object { $_.Procedure })
        $age = $null
        $present = @($items | Where-Object { $_.State.Found -and $_.State.Verified })
        if ($items.Count -gt 0 -and $present.Count -eq $items.Count) {
            $oldest = ($present | ForEach-Object { $_.State.AgeHours } | Measure-Object -Maximum).Maximum
            $age = $this.ToWholeHours($oldest)
        }
        return @{
            Destination = $desired['Destination']
            MaxAgeHours = $age
            OutOfDate   = [string[]]$stale
            _Items      = $items
        }
    }

    hidden [object[]] CompareState([hashtable] $current, [hashtable] $desired)
    {
        $differences = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($item in $current['_Items']) {
            if ($null -ne $item.Problem) {
                $differences.Add($this.NewReason($item.Property, ('{0}: {1}' -f $item.Procedure, $item.Problem)))
            }
        }
        return $differences.ToArray()
    }

    # Runs the plan, skipping the checked items that are already good (and those the configuration skips).
    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        $parameters = $this.GetSetParameters($desired)
        $skipIds = New-Object -TypeName System.Collections.Generic.List[string]
        if ($desired.ContainsKey('Skip')) {
            foreach ($id in @($desired['Skip'])) {
                $skipIds.Add($id)
            }
        }
        foreach ($item in $current['_Items']) {
            if ($null -eq $item.Problem -and -not $skipIds.Contains($item.Procedure)) {
                $skipIds.Add($item.Procedure)
            }
        }
        if ($skipIds.Count -gt 0) {
            $parameters['Skip'] = $skipIds.ToArray()
        }
        $null = Resolve-VmmBackupPath -Path $desired['Destination'] -Create
        $null = $this.InvokeSetCommand($parameters)
    }
