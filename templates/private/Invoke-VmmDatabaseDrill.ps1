function Invoke-VmmDatabaseDrill {
    <#
    .SYNOPSIS
        Restores a VMM database backup under a scratch name, checks it (DBCC CHECKDB, the VMM tables) and drops
        it again; returns State, Evidence, RtoSeconds and Database (the scratch name).
    .DESCRIPTION
        Statements, in order, each with its values as parameters and names through QUOTENAME:
          1. SELECT name FROM sys.databases WHERE name LIKE @pattern   leftovers of a drill that was killed,
             each dropped (step 7) before anything else;
          2. RESTORE FILELISTONLY FROM DISK = @path                    the logical files of the backup;
          3. SERVERPROPERTY('InstanceDefaultDataPath'/'...LogPath')    where the scratch files go;
          4. RESTORE DATABASE QUOTENAME(@db) FROM DISK = @path WITH MOVE @lN TO @pN, ..., CHECKSUM, STATS;
          5. DBCC CHECKDB (QUOTENAME(@db)) WITH NO_INFOMSGS, ALL_ERRORMSGS;
          6. the row counts of the VMM tables (Get-VmmDatabaseLayout) in the scratch database;
          7. IF DB_ID(@db) IS NOT NULL DROP DATABASE QUOTENAME(@db)  - in a finally block: also after a failed
             step or when the drill is stopped. Only a name of the drill's own pattern is ever dropped.
        A failing step makes the State Failed with SQL Server's messages as evidence; nothing else is touched.
    .PARAMETER Connection
        An open SqlConnection to the drill instance.
    .PARAMETER BackupFile
        The .bak file, as the SQL Server sees it.
    .PARAMETER DatabaseName
        The name the backup's database has (the scratch name is <name>_drill_<yyyyMMddHHmmss>).
    .PARAMETER CommandTimeout
        Seconds per statement; 0 for no limit.
    .PARAMETER ProgressId
        Write-Progress id for RESTORE ... STATS messages.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [System.Data.SqlClient.SqlConnection] $Connection,
        [Parameter(Mandatory = $true)] [string] $BackupFile,
        [Parameter(Mandatory = $true)] [string] $DatabaseName,
        [int] $CommandTimeout = 0,
        [int] $ProgressId = 4171
    )

    $layout = Get-VmmDatabaseLayout
    # The table and column names are the module's own (src/model/vmm-database.ts); they go into the statement
    # text in brackets, so only plain identifiers are allowed.
    foreach ($table in $layout.Tables) {
        if ($table.Table -notmatch '^[A-Za-z_][A-Za-z0-9_]{0,127}$' -or $table.Count -notmatch '^[A-Za-z_][A-Za-z0-9_]{0,127}$') { throw "The VMM table list holds a name that is not a plain identifier: '$($table.Table)' / '$($table.Count)'." }
    }
    $ownName = '^.+' + [regex]::Escape($layout.DrillSuffix) + '\d{14}$'
    $evidence = New-Object -TypeName System.Collections.Generic.List[string]
    $activity = 'Restore drill: database'
    $sqlMessage = {
        param($ErrorRecord)
        $exception = $ErrorRecord.Exception
        while ($null -ne $exception.InnerException -and $exception -isnot [System.Data.SqlClient.SqlException]) { $exception = $exception.InnerException }
        if ($exception -is [System.Data.SqlClient.SqlException]) {
            return ((@($exception.Errors | ForEach-Object { 'Msg {0}: {1}' -f $_.Number, $_.Message })) -join ' ')
        }
        $exception.Message
    }
    $dropQuery = "IF DB_ID(@db) IS NOT NULL`nBEGIN`n    DECLARE @sql nvarchar(max) = N'DROP DATABASE ' + QUOTENAME(@db);`n    EXEC sp_executesql @sql;`nEND"
    # The drop uses the connection directly: it also runs while the pipeline is being stopped.
    $drop = {
        param([string] $Name)
        if ($Name -notmatch $ownName) { throw "Refusing to drop '$Name': it is not a scratch database of the drill." }
        $command = $Connection.CreateCommand()
        try {
            $command.CommandText = $dropQuery
            $command.CommandTimeout = $CommandTimeout
            $parameter = $command.Parameters.Add('@db', [System.Data.SqlDbType]::NVarChar, 128)
            $parameter.Value = $Name
            $null = $command.ExecuteNonQuery()
        } finally {
            $command.Dispose()
        }
    }

    $base = $DatabaseName
    $maxBase = 128 - $layout.DrillSuffix.Length - 14
    if ($base.Length -gt $maxBase) { $base = $base.Substring(0, $maxBase) }
    $scratch = $base + $layout.DrillSuffix + (Get-Date).ToUniversalTime().ToString($layout.StampFormat, [System.Globalization.CultureInfo]::InvariantCulture)
    $state = 'Failed'
    $rto = $null
    $restored = $false
    $step = 'looking for leftover drill databases'
    try {
        # 1. Leftovers of a drill that could not clean up (killed, or the server went away).
        $leftovers = @(Invoke-VmmSqlQuery -Connection $Connection -Query 'SELECT name FROM sys.databases WHERE name LIKE @pattern;' -Parameter ([ordered]@{ pattern = $layout.LeftoverPattern }) -CommandTimeout $CommandTimeout)
        foreach ($leftover in $leftovers) {
            $name = [string]$leftover.name
            if ($name -notmatch $ownName) { continue }
            $step = "dropping the leftover drill database '$name'"
            & $drop $name
            $evidence.Add("Dropped the leftover drill database '$name' of an earlier drill that did not finish.")
        }

        # 2. and 3. Where the scratch files go.
        $step = 'reading the file list of the backup (RESTORE FILELISTONLY)'
        $files = @(Invoke-VmmSqlQuery -Connection $Connection -Query 'RESTORE FILELISTONLY FROM DISK = @path;' -Parameter ([ordered]@{ path = $BackupFile }) -CommandTimeout $CommandTimeout)
        if ($files.Count -eq 0) { throw 'RESTORE FILELISTONLY returned no files.' }
        $step = 'reading the default data and log folders of the instance'
        $folders = @(Invoke-VmmSqlQuery -Connection $Connection -Query "SELECT CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(4000)) AS DataPath, CAST(SERVERPROPERTY('InstanceDefaultLogPath') AS nvarchar(4000)) AS LogPath;" -CommandTimeout $CommandTimeout)
        $dataPath = $null
        $logPath = $null
        if ($folders.Count -gt 0) {
            $dataPath = [string]$folders[0].DataPath
            $logPath = [string]$folders[0].LogPath
        }
        if (-not $dataPath) { throw 'The instance names no default data folder (SERVERPROPERTY InstanceDefaultDataPath).' }
        if (-not $logPath) { $logPath = $dataPath }

        $parameters = [ordered]@{ db = @{ Value = $scratch; Size = 128 }; path = $BackupFile }
        $declarations = @('@path nvarchar(4000)')
        $assignments = @('@path = @path')
        $moves = @()
        $index = 0
        foreach ($entry in $files) {
            $folder = $dataPath
            if ([string]$entry.Type -eq 'L') { $folder = $logPath }
            $separator = '\'
            if ($folder.Contains('/') -and -not $folder.Contains('\')) { $separator = '/' }
            $extension = [System.IO.Path]::GetExtension((([string]$entry.PhysicalName) -split '[\\/]')[-1])
            $parameters["l$index"] = @{ Value = [string]$entry.LogicalName; Size = 128 }
            $parameters["p$index"] = $folder.TrimEnd('\', '/') + $separator + $scratch + '_' + $index + $extension
            $declarations += "@l$index nvarchar(128)", "@p$index nvarchar(4000)"
            $assignments += "@l$index = @l$index", "@p$index = @p$index"
            $moves += "MOVE @l$index TO @p$index"
            $index++
        }

        # 4. The restore: what the RTO measures.
        $step = "restoring the backup as '$scratch' (RESTORE DATABASE)"
        $query = "DECLARE @sql nvarchar(max) = N'RESTORE DATABASE ' + QUOTENAME(@db) + N' FROM DISK = @path WITH $($moves -join ', '), CHECKSUM, STATS';`nEXEC sp_executesql @sql, N'$($declarations -join ', ')', $($assignments -join ', ');"
        $restored = $true
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $null = Invoke-VmmSqlQuery -Connection $Connection -Query $query -Parameter $parameters -CommandTimeout $CommandTimeout -ProgressId $ProgressId -Activity $activity
        $watch.Stop()
        $rto = [math]::Round($watch.Elapsed.TotalSeconds, 3)
        $evidence.Add(('Restored as ''{0}'' with CHECKSUM in {1:N1} s, {2} file(s) moved to {3}.' -f $scratch, $rto, $files.Count, $dataPath))

        # 5. Consistency.
        $step = 'checking the restored database (DBCC CHECKDB)'
        $null = Invoke-VmmSqlQuery -Connection $Connection -Query "DECLARE @sql nvarchar(max) = N'DBCC CHECKDB (' + QUOTENAME(@db) + N') WITH NO_INFOMSGS, ALL_ERRORMSGS';`nEXEC sp_executesql @sql;" -Parameter ([ordered]@{ db = @{ Value = $scratch; Size = 128 } }) -CommandTimeout $CommandTimeout
        $evidence.Add('DBCC CHECKDB found no errors.')

        # 6. It is a VMM database: its tables exist, and what they hold.
        $step = 'reading the VMM tables'
        $counts = @($layout.Tables | ForEach-Object { "(SELECT COUNT_BIG(*) FROM ' + QUOTENAME(@db) + N'.[dbo].[$($_.Table)]) AS [$($_.Count)]" })
        $row = @(Invoke-VmmSqlQuery -Connection $Connection -Query ("DECLARE @sql nvarchar(max) = N'SELECT " + ($counts -join ', ') + "';`nEXEC sp_executesql @sql;") -Parameter ([ordered]@{ db = @{ Value = $scratch; Size = 128 } }) -CommandTimeout $CommandTimeout)
        if ($row.Count -eq 0) { throw 'The VMM tables returned no row.' }
        $evidence.Add('VMM tables: ' + ((@($layout.Tables | ForEach-Object { '{0} {1} ({2})' -f $_.Count, $row[0].($_.Count), $_.Table })) -join ', ') + '.')
        $state = 'Passed'
    } catch {
        $evidence.Add("Failed while $step`: $(& $sqlMessage $_)")
    } finally {
        # 7. Always drop the scratch database.
        if ($restored) {
            try {
                & $drop $scratch
                $evidence.Add("Dropped the scratch database '$scratch'.")
            } catch {
                $state = 'Failed'
                $evidence.Add("Could not drop the scratch database '$scratch' (the next drill drops it): $(& $sqlMessage $_)")
            }
        }
    }
    [pscustomobject]@{ State = $state; Evidence = $evidence.ToArray(); RtoSeconds = $rto; Database = $scratch }
}
