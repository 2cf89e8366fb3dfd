function Backup-VmmDatabase {
    $startTime = Get-Date
    $activity = 'Backing up the VMM database'

    # The folder: never a root directory (VMM and the specification require it).
    try {
        $folder = Resolve-VmmSqlPath -Path $Path -Folder
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId RootPath -Category InvalidArgument -Target $Path
    }
    $separator = '\'
    if ($folder.Contains('/') -and -not $folder.Contains('\')) { $separator = '/' }

    # Server and database: the parameters, else the VMM registry settings (Sql subkey).
    $target = Resolve-VmmSqlTarget -SqlServer $SqlServer -Database $Database
    $server = $target.SqlServer
    $databaseName = $target.Database
    if ($databaseName -and $databaseName.Length -gt 128) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The database name is $($databaseName.Length) characters long; SQL Server names have at most 128." -ErrorId BadDatabaseName -Category InvalidArgument -Target $databaseName
    }

    # Method: VMM while the VMM server answers (Auto), else SQL Server.
    $chosen = 'Sql'
    $vmm = $null
    if ($Method -ne 'Sql') {
        try {
            $vmm = Get-VmmServerConnection -VMMServer $VMMServer
            $chosen = 'Vmm'
        } catch {
            if ($Method -eq 'Vmm') { Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId VmmUnavailable -Category ConnectionError -Target $VMMServer }
            Write-Warning "$($_.Exception.Message) Backing up straight through SQL Server instead."
        }
    }
    if ($chosen -eq 'Sql' -and (-not $server -or -not $databaseName)) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'The SQL Server instance or the database name is unknown: give -SqlServer and -Database (this computer has no VMM registry settings naming them).' -ErrorId SqlTargetUnknown -Category InvalidArgument -Target $Path
    }

    $verified = $false
    $file = $null
    $connection = $null
    try {
        if ($chosen -eq 'Vmm') {
            if ($CopyOnly -or $Compression) {
                Write-Warning 'Backup-SCVMMServer takes a full backup of its own: -CopyOnly and -Compression apply to the SQL method only and are ignored.'
            }
            if (-not $PSCmdlet.ShouldProcess("VMM database of $VMMServer", "Back up with Backup-SCVMMServer -Path '$folder'")) { return }
            Write-Progress -Id $progressId -Activity $activity -Status "Backup-SCVMMServer -Path $folder" -PercentComplete 0
            $before = Get-Date
            try {
                $null = $vmm | Backup-SCVMMServer -Path $folder -ErrorAction Stop
            } catch {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Backup-SCVMMServer failed for '$VMMServer' into '$folder': $($_.Exception.Message)" -ErrorId VmmBackupFailed -Category WriteError -Target $folder
            }
            # VMM names the file; find the one it just wrote when this computer can see the folder.
            if (Test-Path -LiteralPath $folder -PathType Container) {
                $newest = Get-ChildItem -LiteralPath $folder -Filter '*.bak' -File -ErrorAction SilentlyContinue |
                    Where-Object { $_.Extension -eq '.bak' -and $_.LastWriteTime -ge $before.AddSeconds(-2) } |
                    Sort-Object -Property LastWriteTime -Descending | Select-Object -First 1
                if ($null -ne $newest) { $file = $newest.FullName }
            }
            if ($null -eq $file) {
                Write-Warning "Backup-SCVMMServer finished, but this computer cannot see the file it wrote in '$folder'; it is not verified here."
            } elseif (-not $SkipVerify) {
                if (-not $server) {
                    Write-Warning "The backup '$file' is not verified: the SQL Server instance is unknown (give -SqlServer)."
                } else {
                    try {
                        $connection = New-VmmSqlConnection -SqlServer $server -Credential $SqlCredential -ConnectTimeout $ConnectTimeout -Encrypt:$Encrypt -TrustServerCertificate:$TrustServerCertificate
                    } catch {
                        Write-Warning "The backup '$file' is not verified: $($_.Exception.Message)"
                    }
                }
            }
        } else {
            $stamp = (Get-Date).ToString('yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture)
            $safeName = [regex]::Replace($databaseName, '[\\/:*?"<>|\x00-\x1f]', '_')
            $file = $folder + $separator + $safeName + '_' + $stamp + '.bak'
            if (-not $PSCmdlet.ShouldProcess("database '$databaseName' on SQL Server '$server'", "Back up to '$file'")) { return }

            Write-Progress -Id $progressId -Activity $activity -Status "Connecting to $server" -PercentComplete 0
            try {
                $connection = New-VmmSqlConnection -SqlServer $server -Credential $SqlCredential -ConnectTimeout $ConnectTimeout -Encrypt:$Encrypt -TrustServerCertificate:$TrustServerCertificate
            } catch {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId SqlUnreachable -Category ConnectionError -Target $server
            }
            $found = @(Invoke-VmmSqlQuery -Connection $connection -Query 'SELECT DB_ID(@db) AS DatabaseId;' -Parameter ([ordered]@{ db = @{ Value = $databaseName; Size = 128 } }))
            if ($found.Count -eq 0 -or $null -eq $found[0].DatabaseId) {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The database '$databaseName' does not exist on SQL Server '$server'. Check -Database (or the VMM registry settings)." -ErrorId DatabaseNotFound -Category ObjectNotFound -Target $databaseName
            }
            # The folder must be reachable by the SQL Server service, which writes the file.
            $reach = $null
            try {
                $reach = @(Invoke-VmmSqlQuery -Connection $connection -Query 'EXEC master.dbo.xp_fileexist @path;' -Parameter ([ordered]@{ path = $folder }))
            } catch {
                Write-Warning "Cannot check that SQL Server '$server' reaches '$folder' (xp_fileexist: $($_.Exception.Message)); trying the backup."
            }
            if ($null -ne $reach -and ($reach.Count -eq 0 -or [int]$reach[0].PSObject.Properties.Value[1] -ne 1)) {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "SQL Server '$server' cannot reach the folder '$folder': it does not exist there or the SQL Server service account cannot see it. Create the folder and give the SQL Server service account write access, or choose another folder." -ErrorId FolderUnreachable -Category ObjectNotFound -Target $folder
            }

            $options = 'CHECKSUM, INIT, STATS'
            if ($CopyOnly) { $options += ', COPY_ONLY' }
            if ($Compression) { $options += ', COMPRESSION' }
            $query = "DECLARE @sql nvarchar(max) = N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK = @path WITH $options';`nEXEC sp_executesql @sql, N'@path nvarchar(4000)', @path = @path;"
            Write-Progress -Id $progressId -Activity $activity -Status "BACKUP DATABASE to $file" -PercentComplete 0
            try {
                $null = Invoke-VmmSqlQuery -Connection $connection -Query $query -Parameter ([ordered]@{ db = @{ Value = $databaseName; Size = 128 }; path = $file }) -CommandTimeout $CommandTimeout -ProgressId $progressId -Activity $activity
            } catch {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "BACKUP DATABASE of '$databaseName' on '$server' to '$file' failed: $($_.Exception.Message)" -ErrorId BackupFailed -Category WriteError -Target $file
            }
        }

        if ($null -ne $connection -and $null -ne $file -and -not $SkipVerify) {
            Write-Progress -Id $progressId -Activity $activity -Status "RESTORE VERIFYONLY $file" -PercentComplete 100
            try {
                Test-VmmSqlBackupFile -Connection $connection -Path $file -CommandTimeout $CommandTimeout -ProgressId $progressId -Activity $activity
            } catch {
                Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup '$file' was written but failed verification (RESTORE VERIFYONLY): $($_.Exception.Message) Do not rely on it; check the disk and back up again." -ErrorId VerifyFailed -Category InvalidResult -Target $file
            }
            $verified = $true
        }
    } finally {
        if ($null -ne $connection) { $connection.Dispose() }
        Write-Progress -Id $progressId -Activity $activity -Completed
    }

    # The verification record beside the file is the evidence the DSC resource VmmDatabaseBackup (and any
    # later check) relies on: it names the file that RESTORE VERIFYONLY accepted, with its exact size and
    # SHA-256, so a different or changed file never counts as verified.
    if ($verified -and $null -ne $file -and (Test-Path -LiteralPath $file -PathType Leaf)) {
        try {
            $verifiedItem = Get-Item -LiteralPath $file
            $record = [ordered]@{
                File       = $verifiedItem.Name
                SizeBytes  = [long]$verifiedItem.Length
                Sha256     = Get-VmmFileHash -Path $verifiedItem.FullName
                Verified   = $true
                VerifiedAt = (Get-Date).ToUniversalTime().ToString('o')
                Method     = $chosen
                SqlServer  = [string]$server
                Database   = [string]$databaseName
            }
            Write-VmmAtomicTextFile -Path ($file + '.verify.json') -Text ($record | ConvertTo-Json -Depth 2)
        } catch {
            Write-Warning "The backup verified, but its verification record '$file.verify.json' could not be written: $($_.Exception.Message) Without it the backup does not count as verified (Test-VmmBackup, VmmDatabaseBackup)."
        }
    } elseif ($verified -and $null -ne $file) {
        Write-Warning "The backup '$file' verified on SQL Server, but this computer cannot see the file, so no verification record was written beside it; it does not count as verified here."
    }

    # Retention: only after a verified backup, so the newest verified one (this one) always stays.
    $removed = New-Object System.Collections.Generic.List[string]
    if ($PSBoundParameters.ContainsKey('RetainDays')) {
        if (-not $verified) {
            Write-Warning "-RetainDays: nothing removed, because this backup is not verified; old backups are removed only after a verified one."
        } elseif (-not $databaseName -or -not (Test-Path -LiteralPath $folder -PathType Container)) {
            Write-Warning "-RetainDays: nothing removed, because the database name is unknown or this computer cannot see '$folder'."
        } else {
            $safeName = [regex]::Replace($databaseName, '[\\/:*?"<>|\x00-\x1f]', '_')
            $pattern = '^' + [regex]::Escape($safeName) + '_(\d{8}_\d{6})\.bak$'
            $limit = (Get-Date).AddDays(-$RetainDays)
            $candidates = foreach ($item in @(Get-ChildItem -LiteralPath $folder -Filter '*.bak' -File)) {
                $match = [regex]::Match($item.Name, $pattern, 'IgnoreCase')
                if (-not $match.Success -or $item.FullName -eq $file) { continue }
                $taken = [datetime]::MinValue
                if (-not [datetime]::TryParseExact($match.Groups[1].Value, 'yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::None, [ref]$taken)) { continue }
                if ($taken -lt $limit) { $item }
            }
            foreach ($item in @($candidates | Sort-Object -Property Name)) {
                if ($PSCmdlet.ShouldProcess($item.FullName, "Remove backup older than $RetainDays days")) {
                    try {
                        Remove-Item -LiteralPath $item.FullName -Force -ErrorAction Stop
                        $removed.Add($item.FullName)
                        $oldRecord = $item.FullName + '.verify.json'
                        if (Test-Path -LiteralPath $oldRecord -PathType Leaf) { Remove-Item -LiteralPath $oldRecord -Force -ErrorAction Stop }
                    } catch {
                        Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message "Cannot remove the old backup '$($item.FullName)': $($_.Exception.Message)" -Category WriteError -Target $item.FullName -ErrorId RemoveFailed
                    }
                }
            }
        }
    }

    $size = $null
    $outputPath = $file
    if ($null -eq $outputPath) { $outputPath = $folder }
    if ($null -ne $file -and (Test-Path -LiteralPath $file -PathType Leaf)) { $size = [long](Get-Item -LiteralPath $file).Length }
    $outputServer = $null
    if ($server) { $outputServer = [string]$server }
    $outputDatabase = $null
    if ($databaseName) { $outputDatabase = [string]$databaseName }
    [pscustomobject][ordered]@{
        PSTypeName = 'VmmBackup.DatabaseBackup'
        Path       = $outputPath
        Method     = $chosen
        SqlServer  = $outputServer
        Database   = $outputDatabase
        StartTime  = $startTime
        EndTime    = Get-Date
        SizeBytes  = $size
        Verified   = $verified
        Removed    = [string[]]$removed.ToArray()
    }
}
