function Restore-VmmRegistrySetting {
    $layout = Get-VmmRegistryLayout
    $settingsKey = $layout.SettingsKey
    $sqlKey = $settingsKey + '\' + $layout.SqlSubkey

    $file = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The registry backup '$Path' does not exist or is not a file. Give the .reg file Backup-VmmRegistrySetting wrote." -ErrorId BadPath -Category ObjectNotFound -Target $Path -ExceptionType ([System.IO.FileNotFoundException])
    }
    try {
        $keys = @(Read-VmmRegFile -Path $file)
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot read the registry backup '$Path': $($_.Exception.Message)" -ErrorId BadRegFile -Category InvalidData -Target $Path -ExceptionType ([System.IO.InvalidDataException])
    }

    # Every key must be the VMM settings key or below it: nothing else is imported.
    $settingsKeys = New-Object System.Collections.Generic.List[object]
    $sqlKeys = New-Object System.Collections.Generic.List[object]
    foreach ($key in $keys) {
        $keyPath = [regex]::Replace([string]$key.Path, '^HKLM\\', 'HKEY_LOCAL_MACHINE\', 'IgnoreCase')
        $record = [pscustomobject]@{ Path = $keyPath; Values = @($key.Values) }
        if (Test-VmmPathRelation -Path $keyPath -Other $sqlKey -Relation AtOrWithin -Registry) {
            $sqlKeys.Add($record)
        } elseif (Test-VmmPathRelation -Path $keyPath -Other $settingsKey -Relation AtOrWithin -Registry) {
            $settingsKeys.Add($record)
        } else {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The file '$Path' holds the key '$keyPath', which is not under $settingsKey. Nothing was imported: this cmdlet restores VMM settings only." -ErrorId ForeignKey -Category InvalidData -Target $Path -ExceptionType ([System.IO.InvalidDataException])
        }
    }
    if ($settingsKeys.Count + $sqlKeys.Count -eq 0) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The file '$Path' holds no VMM settings keys. Nothing was imported." -ErrorId BadRegFile -Category InvalidData -Target $Path -ExceptionType ([System.IO.InvalidDataException])
    }

    # The Sql subkey goes back only when it names the database VMM should use now.
    $sqlSubkey = 'Absent'
    $differences = New-Object System.Collections.Generic.List[string]
    if ($sqlKeys.Count -gt 0) {
        $backup = @{}
        foreach ($record in $sqlKeys) {
            if (Test-VmmPathRelation -Path $record.Path -Other $sqlKey -Relation Equal -Registry) {
                foreach ($value in $record.Values) { $backup[[string]$value.Name] = [string]$value.Data }
            }
        }
        $current = Get-VmmSqlSetting
        $wanted = @{}
        if ($null -ne $current) {
            $wanted[$layout.SqlServerValue] = $current.MachineName
            $wanted[$layout.SqlInstanceValue] = $current.InstanceName
            $wanted[$layout.SqlDatabaseValue] = $current.Database
        }
        if ($PSBoundParameters.ContainsKey('SqlServer')) {
            $serverPart = ($SqlServer -split ',')[0]
            $parts = $serverPart -split '\\', 2
            $wanted[$layout.SqlServerValue] = $parts[0]
            if ($parts.Count -gt 1) { $wanted[$layout.SqlInstanceValue] = $parts[1] } else { $wanted[$layout.SqlInstanceValue] = 'MSSQLSERVER' }
        }
        if ($PSBoundParameters.ContainsKey('Database')) { $wanted[$layout.SqlDatabaseValue] = $Database }

        foreach ($name in @($layout.SqlServerValue, $layout.SqlInstanceValue, $layout.SqlDatabaseValue)) {
            $have = [string]$backup[$name]
            $want = $wanted[$name]
            if ($name -eq $layout.SqlInstanceValue) {
                # The default instance may be recorded as MSSQLSERVER or left empty.
                if ($have -eq '') { $have = 'MSSQLSERVER' }
                if ($null -ne $want -and [string]$want -eq '') { $want = 'MSSQLSERVER' }
            }
            if ($null -eq $want) {
                $differences.Add(("{0}: '{1}' vs unknown (give -SqlServer and -Database to compare)" -f $name, $have))
            } elseif (-not [string]::Equals($have, [string]$want, [System.StringComparison]::OrdinalIgnoreCase)) {
                $differences.Add(("{0}: '{1}' vs '{2}'" -f $name, $have, $want))
            }
        }
        if ($differences.Count -eq 0) {
            $sqlSubkey = 'Imported'
            foreach ($record in $sqlKeys) { $settingsKeys.Add($record) }
        } else {
            $sqlSubkey = 'Skipped'
            Write-Warning ("The Sql subkey of '{0}' is not imported: it does not name the database VMM should use now ({1})." -f $Path, ($differences -join '; '))
        }
    }

    $imported = 0
    foreach ($record in $settingsKeys) {
        $action = 'Import {0} values from {1}' -f @($record.Values).Count, $file
        if ($PSCmdlet.ShouldProcess($record.Path, $action)) {
            try {
                Write-VmmRegistryKey -Path $record.Path -Value @($record.Values)
            } catch {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot write the registry key '$($record.Path)' ($imported keys imported before it): $($_.Exception.Message)" -ErrorId RegistryWriteFailed -Category WriteError -Target $record.Path
            }
            $imported++
        } elseif ($sqlSubkey -eq 'Imported' -and (Test-VmmPathRelation -Path $record.Path -Other $sqlKey -Relation Equal -Registry)) {
            $sqlSubkey = 'Skipped'
        }
    }
    if ($WhatIfPreference) { return }

    [pscustomobject][ordered]@{
        PSTypeName   = 'VmmBackup.RegistryRestore'
        Path         = $file
        KeysImported = $imported
        SqlSubkey    = $sqlSubkey
        Differences  = [string[]]$differences.ToArray()
    }
}
