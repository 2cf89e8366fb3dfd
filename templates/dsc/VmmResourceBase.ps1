<#
    The base of every DSC resource of the module (the DscResource.Base pattern). A resource derives from it,
    declares its properties, and implements:
      GetCurrentState($desired)  -> hashtable of the actual value of each property it can observe;
      CompareState($current, $desired) -> the differences, as NewReason(<property>, <phrase>) records;
      Modify($desired, $current, $differences) -> brings the differing state about.
    Get() returns the actual state of every property (configured values for properties that only steer Set(),
    never a credential) with Reasons; Test() is true when nothing differs; Set() acts only when something
    differs, and only on what differs, then checks again and fails unless the desired state was reached. The
    generated part of each resource adds GetResourceInfo() and GetSetParameters().

    Property types are strict: an engine assigns each property with PowerShell's conversions (the string
    'false' becomes $true, a number becomes a folder name, an array is joined into one path). Each configurable
    property is therefore fronted by a member that checks the value's own type first and refuses a wrong one
    with a clear error.
#>
class VmmResourceBase
{
    VmmResourceBase()
    {
        $this.AddStrictProperties()
    }

    [VmmResourceBase] Get()
    {
        $desired = $this.GetDesiredState()
        $this.AssertProperties($desired)
        $current = $this.GetCurrentState($desired)
        $differences = @($this.CompareState($current, $desired)) + @($this.CompareDrillState($current, $desired))

        $type = $this.GetType()
        $result = $type::new()
        foreach ($name in $this.GetDscPropertyNames($false)) {
            # Reasons are set below; a credential is never returned.
            if ($name -eq 'Reasons' -or $type.GetProperty($name).PropertyType -eq [System.Management.Automation.PSCredential]) {
                continue
            }
            if ($current.ContainsKey($name)) {
                $result.$name = $current[$name]
            } elseif ($desired.ContainsKey($name)) {
                $result.$name = $desired[$name]
            }
        }
        $result.Reasons = [VmmReason[]] @(foreach ($difference in $differences) { $this.ConvertToReason($difference) })
        return $result
    }

    [bool] Test()
    {
        $desired = $this.GetDesiredState()
        $this.AssertProperties($desired)
        $current = $this.GetCurrentState($desired)
        $differences = @($this.CompareState($current, $desired)) + @($this.CompareDrillState($current, $desired))
        foreach ($difference in $differences) {
            Write-Verbose -Message ('{0}: {1}' -f $this.GetType().Name, $difference.Phrase)
        }
        return ($differences.Count -eq 0)
    }

    [void] Set()
    {
        $desired = $this.GetDesiredState()
        $this.AssertProperties($desired)
        $current = $this.GetCurrentState($desired)
        # A restore drill is not something Set() runs (it needs a drill SQL Server and time): it says so.
        foreach ($difference in @($this.CompareDrillState($current, $desired))) {
            Write-Warning -Message ('{0}: {1}' -f $this.GetType().Name, $difference.Phrase)
        }
        $differences = @($this.CompareState($current, $desired))
        if ($differences.Count -eq 0) {
            Write-Verbose -Message ('{0}: already in the desired state; nothing to do.' -f $this.GetType().Name)
            return
        }
        foreach ($difference in $differences) {
            Write-Verbose -Message ('{0}: {1}' -f $this.GetType().Name, $difference.Phrase)
        }
        $this.Modify($desired, $current, $differences)

        # Evidence, not assurance: Set() succeeds only when the checks of Test() pass afterwards.
        $after = $this.GetCurrentState($desired)
        $left = @($this.CompareState($after, $desired))
        if ($left.Count -gt 0) {
            $info = $this.GetResourceInfo()
            throw ('{0}: {1} ran, but the desired state was not reached: {2}' -f $this.GetType().Name, $info.Cmdlet, ((@($left | ForEach-Object { $_.Phrase })) -join ' '))
        }
    }

    # ------------------------------------------------------------------ to implement in each resource

    hidden [hashtable] GetCurrentState([hashtable] $desired)
    {
        throw ('{0} does not implement GetCurrentState().' -f $this.GetType().Name)
    }

    hidden [object[]] CompareState([hashtable] $current, [hashtable] $desired)
    {
        return $this.CompareProperties($current, $desired, @($desired.Keys))
    }

    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        throw ('{0} does not implement Modify().' -f $this.GetType().Name)
    }

    # Generated in each resource: the cmdlet Set() runs, the procedure enforced, constants of the model.
    hidden [hashtable] GetResourceInfo()
    {
        throw ('{0} does not implement GetResourceInfo().' -f $this.GetType().Name)
    }

    # What the static Export() returns. By default: the actual state of the instance the filter names by its key.
    hidden [object[]] ExportInstances([object] $filter)
    {
        $info = $this.GetResourceInfo()
        if ($null -eq $filter -or [string]::IsNullOrEmpty([string]$filter.($info.KeyProperty))) {
            throw ('{0}: Export() reports the state under one {1}; give {1} in the filter (dsc resource export --input ''{{"{1}": "..."}}'').' -f $this.GetType().Name, $info.KeyProperty)
        }
        return @($filter.Get())
    }

    # Generated in each resource: the parameters of its cmdlet from the desired properties.
    hidden [hashtable] GetSetParameters([hashtable] $desired)
    {
        throw ('{0} does not implement GetSetParameters().' -f $this.GetType().Name)
    }

    # ------------------------------------------------------------------ shared

    # Fronts each configurable property with a member that checks the type of the value given before it is
    # stored (see AssignProperty). Where the member cannot be added, AssertProperties still checks ranges,
    # allowed values and key paths.
    hidden [void] AddStrictProperties()
    {
        foreach ($name in $this.GetDscPropertyNames($true)) {
            # The comma keeps an array an array (a script property's output is unrolled like any pipeline).
            $getter = [scriptblock]::Create(('$value = $this.GetType().GetProperty(''{0}'').GetValue($this); if ($null -ne $value) {{ ,$value }}' -f $name))
            $setter = [scriptblock]::Create(('param($value) $this.AssignProperty(''{0}'', $value)' -f $name))
            try {
                Add-Member -InputObject $this -MemberType ScriptProperty -Name $name -Value $getter -SecondValue $setter -Force -ErrorAction Stop
            } catch {
                Write-Verbose -Message ('{0}: the type of {1} is checked only by the engine: {2}' -f $this.GetType().Name, $name, $_.Exception.Message)
            }
        }
    }

    # Stores a property value after checking its own type: no conversion from one kind of value to another.
    hidden [void] AssignProperty([string] $name, [object] $value)
    {
        $property = $this.GetType().GetProperty($name)
        $type = $property.PropertyType
        $underlying = [System.Nullable]::GetUnderlyingType($type)
        if ($null -ne $underlying) {
            $type = $underlying
        }
        $converted = $null
        $expected = $null
        if ($null -ne $value) {
            if ($type -eq [string]) {
                if ($value -is [string]) { $converted = [string]$value } else { $expected = 'a string' }
            } elseif ($type -eq [string[]]) {
                $items = @($value)
                $allStrings = $true
                foreach ($item in $items) {
                    if ($item -isnot [string]) { $allStrings = $false }
                }
                if ($allStrings) { $converted = [string[]]$items } else { $expected = 'an array of strings' }
            } elseif ($type -eq [int]) {
                $integral = ($value -is [int]) -or ($value -is [long]) -or ($value -is [int16]) -or ($value -is [byte]) -or ($value -is [sbyte]) -or ($value -is [uint16]) -or ($value -is [uint32])
                if ($integral -and [long]$value -ge [int]::MinValue -and [long]$value -le [int]::MaxValue) { $converted = [int]$value } else { $expected = 'a whole number' }
            } elseif ($type -eq [bool]) {
                if ($value -is [bool]) { $converted = [bool]$value } else { $expected = 'true or false (a boolean, not a string or a number)' }
            } elseif ($type -eq [datetime]) {
                if ($value -is [datetime]) { $converted = [datetime]$value } else { $expected = 'a date and time' }
            } elseif ($type -eq [System.Management.Automation.PSCredential]) {
                if ($value -is [System.Management.Automation.PSCredential]) { $converted = $value } else { $expected = 'a credential (PSCredential; in JSON an object with username and password)' }
            } else {
                $converted = $value
            }
        }
        if ($null -ne $expected) {
            $given = 'a value of type {0}' -f $value.GetType().Name
            if ($type -ne [System.Management.Automation.PSCredential] -and ($value -is [string] -or $value -is [ValueType])) {
                $given = '''{0}'' ({1})' -f $value, $value.GetType().Name
            } elseif ($value -is [array]) {
                $given = 'an array'
            }
            throw ('{0}: the property {1} must be {2}; it was given {3}.' -f $this.GetType().Name, $name, $expected, $given)
        }
        $rules = $this.GetResourceInfo().Rules
        if ($null -ne $converted -and $rules.ContainsKey($name) -and $rules[$name].ContainsKey('Set') -and $rules[$name].Set -notcontains $converted) {
            throw ('{0}: {1} is ''{2}''; it must be one of {3}.' -f $this.GetType().Name, $name, $converted, ($rules[$name].Set -join ', '))
        }
        if ($null -eq $converted -and $null -eq $property.GetValue($this)) {
            # Null over null: nothing to store (and a ValidateSet property would refuse the null).
            return
        }
        $property.SetValue($this, $converted)
    }

    # Names of the DSC properties (with -Configurable: only those a configuration may set).
    hidden [string[]] GetDscPropertyNames([bool] $configurableOnly)
    {
        $names = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($property in $this.GetType().GetProperties()) {
            $attribute = $property.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $true) | Select-Object -First 1
            if ($null -eq $attribute) {
                continue
            }
            if ($configurableOnly -and $attribute.NotConfigurable) {
                continue
            }
            $names.Add($property.Name)
        }
        return $names.ToArray()
    }

    # The properties the configuration sets: configurable, not null, not an empty string.
    hidden [hashtable] GetDesiredState()
    {
        $desired = @{}
        foreach ($name in $this.GetDscPropertyNames($true)) {
            $value = $this.$name
            if ($null -eq $value) {
                continue
            }
            if ($value -is [string] -and $value.Length -eq 0) {
                continue
            }
            $desired[$name] = $value
        }
        return $desired
    }

    # Key and mandatory properties must be set; backup folders must not be root directories.
    hidden [void] AssertProperties([hashtable] $desired)
    {
        foreach ($property in $this.GetType().GetProperties()) {
            $attribute = $property.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $true) | Select-Object -First 1
            if ($null -eq $attribute) {
                continue
            }
            if (($attribute.Key -or $attribute.Mandatory) -and -not $desired.ContainsKey($property.Name)) {
                throw ('{0}: the property {1} is required. Give it a value in the configuration.' -f $this.GetType().Name, $property.Name)
            }
        }
        $info = $this.GetResourceInfo()
        foreach ($name in @($info.Rules.Keys)) {
            if (-not $desired.ContainsKey($name)) {
                continue
            }
            $rule = $info.Rules[$name]
            $value = $desired[$name]
            if ($rule.ContainsKey('Range') -and ($value -lt $rule.Range[0] -or $value -gt $rule.Range[1])) {
                throw ('{0}: {1} is {2}; it must be from {3} to {4}.' -f $this.GetType().Name, $name, $value, $rule.Range[0], $rule.Range[1])
            }
            if ($rule.ContainsKey('Set') -and $rule.Set -notcontains $value) {
                throw ('{0}: {1} is ''{2}''; it must be one of {3}.' -f $this.GetType().Name, $name, $value, ($rule.Set -join ', '))
            }
        }
        $key = [string]$desired[$info.KeyProperty]
        if (-not (Test-VmmDscAbsolutePath -Path $key)) {
            throw ('{0}: {1} ''{2}'' is not an absolute path; a relative path would resolve against the folder the DSC engine happens to run in (C:\Windows\System32 under the LCM). Give a full path such as D:\VmmBackup or \\server\share\VmmBackup.' -f $this.GetType().Name, $info.KeyProperty, $key)
        }
        try {
            $null = Resolve-VmmBackupPath -Path $key
        } catch {
            throw ('{0}: {1}' -f $this.GetType().Name, $_.Exception.Message)
        }
    }

    hidden [hashtable] NewReason([string] $property, [string] $phrase)
    {
        return @{ Property = $property; Phrase = $phrase }
    }

    hidden [VmmReason] ConvertToReason([hashtable] $difference)
    {
        $reason = [VmmReason]::new()
        $reason.Code = '{0}:{0}:{1}' -f $this.GetType().Name, $difference.Property
        $reason.Phrase = $difference.Phrase
        return $reason
    }

    # What every backup resource checks first: a backup exists, it passed its checks in this call, and it is
    # no older than MaxAgeHours. A missing or unverified backup makes the resource's other checks moot
    # (callers stop there). Each phrase says what is missing and how to fix it ($fix).
    hidden [System.Collections.Generic.List[object]] CompareBackupState([object] $state, [hashtable] $desired, [string] $keyProperty, [string] $required, [string] $unsound, [string] $newest, [string] $fix)
    {
        $differences = New-Object -TypeName System.Collections.Generic.List[object]
        if (-not $state.Found) {
            $differences.Add($this.NewReason($keyProperty, ('Missing: {0} {1} {2}' -f $state.Detail, $required, $fix)))
        } elseif (-not $state.Verified) {
            $differences.Add($this.NewReason('Verified', ('{0}: {1} {2}' -f $unsound, $state.Detail, $fix)))
        } elseif ($desired.ContainsKey('MaxAgeHours') -and $state.AgeHours -gt $desired['MaxAgeHours']) {
            $differences.Add($this.NewReason('MaxAgeHours', ('Stale: {0} ''{1}'' is {2:N1} hours old; MaxAgeHours is {3}. {4}' -f $newest, $state.LatestBackup, $state.AgeHours, $desired['MaxAgeHours'], $fix)))
        }
        return $differences
    }

    # RestoreTestedWithinDays: every item the resource keeps (Database, Registry, Library; all three for the
    # plan) must have passed a restore drill (Invoke-VmmRestoreDrill's records, Get-VmmLastDrill) within that
    # many days. Sets the observed value (days since the oldest item last passed, rounded up) in $current.
    hidden [object[]] CompareDrillState([hashtable] $current, [hashtable] $desired)
    {
        if (-not $desired.ContainsKey('RestoreTestedWithinDays')) {
            return @()
        }
        $items = @{ VmmDatabaseBackup = @('Database'); VmmRegistryBackup = @('Registry'); VmmLibraryBackup = @('Library') }[$this.GetType().Name]
        if ($null -eq $items) {
            $items = @('Database', 'Registry', 'Library')
        }
        $path = $desired[$this.GetResourceInfo().KeyProperty]
        $drills = @{}
        foreach ($drill in @(Get-VmmLastDrill -Path $path)) {
            $drills[$drill.Item] = $drill
        }
        $limit = [int]$desired['RestoreTestedWithinDays']
        $now = (Get-Date).ToUniversalTime()
        $oldest = 0.0
        $never = $false
        $differences = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($item in $items) {
            $drill = $drills[$item]
            if ($null -eq $drill -or $null -eq $drill.LastPassed) {
                $never = $true
                $last = 'no drill of it was recorded'
                if ($null -ne $drill) {
                    $last = 'its last drill ({0:u}) was {1}' -f $drill.Time, $drill.State
                }
                $differences.Add($this.NewReason('RestoreTestedWithinDays', ('The {0} backup was never proven by a restore drill ({1}). Run Invoke-VmmRestoreDrill -Path ''{2}''.' -f $item, $last, $path)))
                continue
            }
            $days = ($now - $drill.LastPassed).TotalDays
            $oldest = [math]::Max($oldest, $days)
            if ($days -gt $limit) {
                $differences.Add($this.NewReason('RestoreTestedWithinDays', ('The last restore drill of the {0} backup that passed was {1:N1} days ago ({2:u}); RestoreTestedWithinDays is {3}. Run Invoke-VmmRestoreDrill -Path ''{4}''.' -f $item, $days, $drill.LastPassed, $limit, $path)))
            }
        }
        if ($never) {
            $current['RestoreTestedWithinDays'] = $null
        } else {
            $current['RestoreTestedWithinDays'] = [int][math]::Max(1, [math]::Ceiling($oldest))
        }
        return $differences.ToArray()
    }

    # Plain comparison of the named properties that are both desired and observed. Arrays compare as sets,
    # strings without regard to case.
    hidden [object[]] CompareProperties([hashtable] $current, [hashtable] $desired, [string[]] $names)
    {
        $differences = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($name in $names) {
            if (-not $desired.ContainsKey($name) -or -not $current.ContainsKey($name)) {
                continue
            }
            $want = @($desired[$name])
            $have = @($current[$name] | Where-Object { $null -ne $_ })
            $missing = @($want | Where-Object { $have -notcontains $_ })
            $extra = @($have | Where-Object { $want -notcontains $_ })
            if ($missing.Count -gt 0 -or $extra.Count -gt 0) {
                $differences.Add($this.NewReason($name, ('{0} is {1} but should be {2}.' -f $name, (Format-VmmDscValue -Value $current[$name]), (Format-VmmDscValue -Value $desired[$name]))))
            }
        }
        return $differences.ToArray()
    }

    # Runs the resource's cmdlet with the desired properties; errors name the cmdlet and say why.
    hidden [object[]] InvokeSetCommand([hashtable] $parameters)
    {
        $info = $this.GetResourceInfo()
        try {
            return @(Invoke-VmmDscCommand -Name $info.Cmdlet -Parameters $parameters)
        } catch {
            throw ('{0}: {1} failed, so the desired state was not reached: {2}' -f $this.GetType().Name, $info.Cmdlet, $_.Exception.Message)
        }
    }

    # Hours as a property value: whole hours, rounded up (the smallest MaxAgeHours the age satisfies).
    hidden [object] ToWholeHours([object] $ageHours)
    {
        if ($null -eq $ageHours) {
            return $null
        }
        return [int][math]::Max(1, [math]::Ceiling([double]$ageHours))
    }
}
