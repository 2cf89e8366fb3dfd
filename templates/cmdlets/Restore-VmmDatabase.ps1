function Restore-VmmDatabase {
    $startTime = Get-Date
    $activity = 'Restoring the VMM database'
    # T-SQL literals for messages only (what -WhatIf and -Confirm show); statements take values as parameters.
    $literal = { param([string] $Text) "N'" + $Text.Replace("'", "''") + "'" }
    $bracket = { param([string] $Text) '[' + $Text.Replace(']', ']]') + ']' }

    $file = Resolve-VmmSqlPath -Path $Path
    if ($file -match '[\\/]$' -or (Test-Path -LiteralPath $file -PathType Container)) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "'$Path' is a folder. Give the backup file (.bak) to restore." -ErrorId BadPath -Category InvalidArgument -Target $Path
    }

    $target = Resolve-VmmSqlTarget -SqlServer $SqlServer -Database $Database
    $server = $target.SqlServer
    $databaseName = $target.Database
    if ($databaseName -and $databaseName.Length -gt 128) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The database name is $($databaseName.Length) characters long; SQL Server names have at most 128." -ErrorId BadDatabaseName -Category InvalidArgument -Target $databaseName
    }
    if (-not $server) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'The SQL Server instance is unknown: give -SqlServer (this computer has no VMM registry settings naming it). It is needed to verify the backup before any restore.' -ErrorId SqlTargetUnknown -Category InvalidArgument -Target $Path
    }

    # Method: SCVMMRecover.exe while the VMM server functions (Auto), else SQL Server.
    $chosen = 'Sql'
    $recover = $null
    if ($Method -ne 'Sql') {
        $reason = $null
        $recover = $ScvmmRecoverPath
        if (-not $recover) {
            $layout = Get-VmmRegistryLayout
            try {
                $setup = @(Read-VmmRegistryTree -Path $layout.SetupKey -NoRecurse)
                foreach ($value in @($setup | ForEach-Object { $_.Values })) {
                    if ($value.Name -eq $layout.InstallPathValue -and $value.Data) { $recover = [System.IO.Path]::Combine([string]$value.Data, $layout.ScvmmRecoverFile[0], $layout.ScvmmRecoverFile[1]) }
                }
            } catch {
                $reason = $_.Exception.Message
            }
        }
        if (-not $recover) {
            if (-not $reason) { $reason = 'the VMM installation folder is not in the registry; give -ScvmmRecoverPath' }
        } elseif (-not (Test-Path -LiteralPath $recover -PathType Leaf)) {
            $reason = "'$recover' does not exist"
        } else {
            try {
                $null = Get-VmmServerConnection -VMMServer 'localhost'
                $chosen = 'ScvmmRecover'
            } catch {
                $reason = $_.Exception.Message
            }
        }
        if ($chosen -ne 'ScvmmRecover') {
            if ($Method -eq 'ScvmmRecover') { Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot restore with SCVMMRecover.exe: $reason" -ErrorId ScvmmRecoverUnavailable -Category ResourceUnavailable -Target $Path }
            Write-Warning "SCVMMRecover.exe cannot be used ($reason). Restoring through SQL Server instead."
        }
    }
    if ($chosen -eq 'Sql' -and -not $databaseName) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'The database name is unknown: give -Database (this computer has no VMM registry settings naming it).' -ErrorId SqlTargetUnknown -Category InvalidArgument -Target $Path
    }
    if ($chosen -eq 'ScvmmRecover' -and -not (Test-Path -LiteralPath $file -PathType Leaf)) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup file '$file' does not exist on this computer; SCVMMRecover.exe needs a local file." -ErrorId BadPath -Category ObjectNotFound -Target $Path
    }

    $verifyText = 'RESTORE VERIFYONLY FROM DISK = ' + (& $literal $file) + ' WITH CHECKSUM'
    if ($chosen -eq 'ScvmmRecover') {
        $target = "VMM database on SQL Server '$server'"
        $action = "Verify ($verifyText), then run '$recover' -Path '$file' -Confirm"
    } else {
        $restoreText = 'RESTORE DATABASE ' + (& $bracket $databaseName) + ' FROM DISK = ' + (& $literal $file) + ' WITH REPLACE, STATS'
        if ($DataPath) { $restoreText += ", MOVE each data file TO $(& $literal $DataPath)" }
        if ($LogPath) { $restoreText += ", MOVE each log file TO $(& $literal $LogPath)" }
        $target = "database '$databaseName' on SQL Server '$server'"
        $action = "Verify ($verifyText), then replace the database ($restoreText)"
    }

    $connection = $null
    $verified = $false
    try {
        Write-Progress -Id $progressId -Activity $activity -Status "Connecting to $server" -PercentComplete 0
        try {
            $connection = New-VmmSqlConnection -SqlServer $server -Credential $SqlCredential -ConnectTimeout $ConnectTimeout -Encrypt:$Encrypt -TrustServerCertificate:$TrustServerCertificate
        } catch {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId SqlUnreachable -Category ConnectionError -Target $server
        }
        # The file must be visible to the SQL Server service, which reads it.
        $reach = $null
        try {
            $reach = @(Invoke-VmmSqlQuery -Connection $connection -Query 'EXEC master.dbo.xp_fileexist @path;' -Parameter ([ordered]@{ path = $file }))
        } catch {
            Write-Warning "Cannot check that SQL Server '$server' sees '$file' (xp_fileexist: $($_.Exception.Message))."
        }
        if ($null -ne $reach -and ($reach.Count -eq 0 -or [int]$reach[0].PSObject.Properties.Value[0] -ne 1)) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "SQL Server '$server' cannot see the backup file '$file': it does not exist there, is a folder, or the SQL Server service account cannot read it. Nothing was restored." -ErrorId FileUnreachable -Category ObjectNotFound -Target $file
        }

        if (-not $PSCmdlet.ShouldProcess($target, $action)) { return }

        Write-Progress -Id $progressId -Activity $activity -Status "RESTORE VERIFYONLY $file" -PercentComplete 0
        try {
            Test-VmmSqlBackupFile -Connection $connection -Path $file -CommandTimeout $CommandTimeout -ProgressId $progressId -Activity $activity
        } catch {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup '$file' failed verification (RESTORE VERIFYONLY): $($_.Exception.Message) Nothing was restored." -ErrorId VerifyFailed -Category InvalidData -Target $file
        }
        $verified = $true

        if ($chosen -eq 'ScvmmRecover') {
            Write-Progress -Id $progressId -Activity $activity -Status 'SCVMMRecover.exe' -PercentComplete 50
            $run = Invoke-VmmScvmmRecover -FilePath $recover -ArgumentList @('-Path', $file, '-Confirm')
            if ($run.ExitCode -ne 0) {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message ("SCVMMRecover.exe failed (exit code {0}): {1}" -f $run.ExitCode, (@($run.Output) -join ' ')) -ErrorId ScvmmRecoverFailed -Category InvalidResult -Target $file
            }
        } else {
            $parameters = [ordered]@{ db = @{ Value = $databaseName; Size = 128 }; path = $file }
            $declarations = @('@path nvarchar(4000)')
            $assignments = @('@path = @path')
            $moves = ''
            if ($DataPath -or $LogPath) {
                try {
                    $files = @(Invoke-VmmSqlQuery -Connection $connection -Query 'RESTORE FILELISTONLY FROM DISK = @path;' -Parameter ([ordered]@{ path = $file }) -CommandTimeout $CommandTimeout)
                } catch {
                    Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot read the file list of '$file' (RESTORE FILELISTONLY): $($_.Exception.Message) Nothing was restored." -ErrorId FileListFailed -Category InvalidData -Target $file
                }
                $index = 0
                foreach ($entry in $files) {
                    $folder = $DataPath
                    if ([string]$entry.Type -eq 'L') { $folder = $LogPath }
                    if (-not $folder) { continue }
                    $leaf = ([string]$entry.PhysicalName -split '[\\/]')[-1]
                    $separator = '\'
                    if ($folder.Contains('/') -and -not $folder.Contains('\')) { $separator = '/' }
                    $parameters["l$index"] = @{ Value = [string]$entry.LogicalName; Size = 128 }
                    $parameters["p$index"] = $folder.TrimEnd('\', '/') + $separator + $leaf
                    $declarations += "@l$index nvarchar(128)", "@p$index nvarchar(4000)"
                    $assignments += "@l$index = @l$index", "@p$index = @p$index"
                    $moves += ", MOVE @l$index TO @p$index"
                    $index++
                }
            }
            $query = "DECLARE @sql nvarchar(max) = N'RESTORE DATABASE ' + QUOTENAME(@db) + N' FROM DISK = @path WITH REPLACE, STATS$moves';`nEXEC sp_executesql @sql, N'$($declarations -join ', ')', $($assignments -join ', ');"
            Write-Progress -Id $progressId -Activity $activity -Status "RESTORE DATABASE from $file" -PercentComplete 0
            try {
                $null = Invoke-VmmSqlQuery -Connection $connection -Query $query -Parameter $parameters -CommandTimeout $CommandTimeout -ProgressId $progressId -Activity $activity
            } catch {
                $hint = ''
                if ($_.Exception -is [System.Data.SqlClient.SqlException] -and $_.Exception.Number -eq 3101) { $hint = ' Stop the VMM service (SCVMMService) and close other connections to the database, then try again.' }
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "RESTORE DATABASE of '$databaseName' on '$server' from '$file' failed: $($_.Exception.Message)$hint" -ErrorId RestoreFailed -Category WriteError -Target $file
            }
        }
    } finally {
        if ($null -ne $connection) { $connection.Dispose() }
        Write-Progress -Id $progressId -Activity $activity -Completed
    }

    $outputDatabase = $null
    if ($databaseName) { $outputDatabase = [string]$databaseName }
    [pscustomobject][ordered]@{
        PSTypeName = 'VmmBackup.DatabaseRestore'
        Path       = $file
        Method     = $chosen
        SqlServer  = [string]$server
        Database   = $outputDatabase
        Verified   = $verified
        StartTime  = $startTime
        EndTime    = Get-Date
    }
}
