# VmmBackupPlan: the hand-written state logic; the generator adds what the model owns (see templates/dsc/README.md).
class VmmBackupPlan : VmmResourceBase
{
    # The items the configuration asks for: every item of the plan this resource checks, except those in Skip,
    # and the system state only when SystemStateTarget is given (Invoke-VmmBackup skips it otherwise). The same
    # list serves Get(), Test() and Set().
    hidden [object[]] GetWantedItems([hashtable] $desired)
    {
        $info = $this.GetResourceInfo()
        $data = Get-VmmProcedureData
        $planIds = @(ConvertTo-VmmPlanItem -Id $data.Plans.Backup -Data $data | ForEach-Object { $_.Id })
        $skipIds = @()
        if ($desired.ContainsKey('Skip')) {
            $skipIds = @($desired['Skip'])
        }
        foreach ($id in $skipIds) {
            if ($planIds -notcontains $id) {
                throw ('{0}: Skip names ''{1}'', which is not an item of the backup plan. The items are: {2}.' -f $this.GetType().Name, $id, ($planIds -join ', '))
            }
        }
        return @($info.Items | Where-Object {
                $skipIds -notcontains $_.Procedure -and ($_.Procedure -ne 'backup.system-state' -or $desired.ContainsKey('SystemStateTarget'))
            })
    }

    # Each wanted item: the procedure, the state of its newest backup under Destination, what is wrong with it.
    hidden [object[]] GetItemStates([hashtable] $desired)
    {
        $info = $this.GetResourceInfo()
        $wanted = $this.GetWantedItems($desired)
        $items = New-Object -TypeName System.Collections.Generic.List[object]
        if ($wanted.Count -eq 0) {
            return $items.ToArray()
        }
        $target = ''
        if ($desired.ContainsKey('SystemStateTarget')) {
            $target = $desired['SystemStateTarget']
        }
        $states = Get-VmmDscPlanItemState -Destination $desired['Destination'] -Procedure @($wanted | ForEach-Object { $_.Procedure }) -SettingsKey $info.SettingsKey -SqlSubkey $info.SqlSubkey -SystemStateTarget $target
        foreach ($item in $wanted) {
            $state = $states[$item.Procedure]
            $limit = $item.MaxAgeHours
            if ($desired.ContainsKey('MaxAgeHours')) {
                $limit = $desired['MaxAgeHours']
            }
            $problem = $null
            $property = 'Destination'
            if (-not $state.Found) {
                $problem = 'Missing: ' + $state.Detail
            } elseif (-not $state.Verified) {
                $problem = $state.Detail
            } elseif ($null -ne $limit -and $state.AgeHours -gt $limit) {
                $property = 'MaxAgeHours'
                $problem = ('Stale: the newest backup ''{0}'' is {1:N1} hours old; at most {2} hours are allowed. Set() runs Invoke-VmmBackup for it.' -f $state.LatestBackup, $state.AgeHours, $limit)
            }
            $items.Add([pscustomobject]@{ Procedure = $item.Procedure; State = $state; Problem = $problem; Property = $property })
        }
        return $items.ToArray()
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
            AgeHours    = $age
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

    # Runs the plan for the items that are not good (the others, and those the configuration skips, are
    # skipped), and fails naming every item the run reports as Failed.
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
        $results = @($this.InvokeSetCommand($parameters))
        $failed = @($results | Where-Object { $null -ne $_ -and $_.PSObject.Properties['State'] -and $_.State -eq 'Failed' -and $_.Id -ne 'backup.plan' })
        if ($failed.Count -gt 0) {
            $named = @($failed | ForEach-Object { '{0} ({1})' -f $_.Id, $_.Message })
            throw ('{0}: Invoke-VmmBackup ran, but {1} item(s) failed: {2}' -f $this.GetType().Name, $failed.Count, ($named -join '; '))
        }
        if ($results.Count -eq 0) {
            throw ('{0}: Invoke-VmmBackup returned no result, so nothing shows the backups were taken.' -f $this.GetType().Name)
        }
    }
}
