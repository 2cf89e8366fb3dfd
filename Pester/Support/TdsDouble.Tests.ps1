#Requires -Modules Pester
# The TDS double against System.Data.SqlClient: login, parameter binding, rows of each type, info messages,
# errors, timeouts and dropped connections, as a cmdlet such as Backup-VmmDatabase would meet them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TdsDouble.psm1') -Force
    $script:Guid = [guid]'6f9619ff-8b86-d011-b42d-00c04fc964ff'
    $script:Rules = @(
        @{
            match      = '^SELECT Id, Size, Name FROM dbo\.Backups'
            resultSets = @(@{
                    columns = @(
                        @{ name = 'Id'; type = 'int' }, @{ name = 'Size'; type = 'bigint' }, @{ name = 'Name'; type = 'nvarchar(128)' },
                        @{ name = 'Started'; type = 'datetime2' }, @{ name = 'Finished'; type = 'datetime' }, @{ name = 'Verified'; type = 'bit' },
                        @{ name = 'BackupSetId'; type = 'uniqueidentifier' }, @{ name = 'Checksum'; type = 'varbinary(max)' }
                    )
                    rows    = @(
                        @(7, '9007199254740993', 'VirtualManagerDB_full', [datetime]'2024-05-06T07:08:09.1234567',
                            [datetime]'2024-05-06T07:09:10.123', $true, $script:Guid, [byte[]](0xDE, 0xAD, 0xBE, 0xEF)),
                        @($null, $null, $null, $null, $null, $null, $null, $null)
                    )
                })
        },
        @{
            match    = '^BACKUP DATABASE \[VirtualManagerDB\] TO DISK = @path WITH .*STATS = 10'
            messages = @(
                @{ number = 3211; text = '10 percent processed.'; delayMs = 150 },
                @{ number = 3211; text = '20 percent processed.'; delayMs = 150 },
                @{ number = 3211; text = '30 percent processed.'; delayMs = 150 },
                @{ number = 3014; text = 'BACKUP DATABASE successfully processed 5 pages in 0.010 seconds (3.906 MB/sec).' }
            )
        },
        @{ match = '^RESTORE VERIFYONLY'; error = @{ number = 3201; state = 2; class = 16; message = 'Cannot open backup device.' } },
        @{
            match  = '^BACKUP DATABASE \[Missing\]'
            errors = @(
                @{ number = 3201; state = 1; class = 16; message = "Cannot open backup device '/nope/x.bak'. Operating system error 2." },
                @{ number = 3013; state = 1; class = 16; message = 'BACKUP DATABASE is terminating abnormally.' }
            )
        },
        @{ match = '^BACKUP LOG'; error = @{ number = 3013; state = 1; class = 20; message = 'BACKUP LOG is terminating abnormally.' } },
        @{ match = '^WAITFOR'; delayMs = 10000 },
        @{ match = '^SELECT n FROM dbo\.Big'; dropConnection = 'mid-result'; resultSets = @(@{ columns = @(@{ name = 'n'; type = 'int' }); rows = @(@(1), @(2), @(3), @(4)) }) },
        @{ match = '^UPDATE dbo\.Jobs'; rowsAffected = 2 },
        @{ match = '^dbo\.usp_RecordBackup$'; resultSets = @(@{ columns = @(@{ name = 'BackupId'; type = 'int' }); rows = @(, @(11)) }) },
        @{
            match      = '^SELECT TOP \(1\) backup_size'
            resultSets = @(@{
                    columns = @(@{ name = 'backup_size'; type = 'numeric(20,0)' }, @{ name = 'ratio'; type = 'decimal(9,4)' },
                        @{ name = 'type'; type = 'char(1)' }, @{ name = 'BackupType'; type = 'smallint' },
                        @{ name = 'recovery_model'; type = 'varchar(60)' }, @{ name = 'code'; type = 'nchar(3)' })
                    rows    = @(, @('123456789012', [decimal]1.5, 'D', 1, 'FULL', 'ab'))
                })
        },
        @{ match = '^SELECT @size = SUM'; outputs = @{ size = '9007199254740993'; label = 'full' } },
        @{ match = '^dbo\.usp_Check$'; returnStatus = 3; outputs = @{ '@ok' = $true } },
        @{ match = '^SELECT Id FROM dbo\.Jobs WHERE Started = @when AND Name = @name$'; parameters = @{ when = [datetime]'2024-05-06T07:08:09.123'; name = 'nightly' }; resultSets = @(@{ columns = @(@{ name = 'Id'; type = 'int' }); rows = @(, @(5)) }) },
        @{ match = '^SELECT 42$'; resultSets = @(@{ columns = @(@{ name = 'n'; type = 'int' }); rows = @(, @(42)) }) }
    )
    $script:Double = Start-TdsDouble -Rules $script:Rules
    Write-Host "TDS double started in $($script:Double.StartMilliseconds) ms on port $($script:Double.Port)"

    function script:Open-TestConnection {
        param([string] $ConnectionString = $script:Double.ConnectionString)
        $connection = New-Object System.Data.SqlClient.SqlConnection $ConnectionString
        $connection.Open()
        return $connection
    }
    function script:Get-SqlError {
        param([scriptblock] $Action)
        try { & $Action; return $null } catch {
            $e = $_.Exception
            while ($e -and $e -isnot [System.Data.SqlClient.SqlException]) { $e = $e.InnerException }
            return $e
        }
    }
    function script:Get-NewLogEntry {
        param([int] $Since)
        @(Get-TdsDoubleLog -Double $script:Double) | Select-Object -Skip $Since
    }
}

AfterAll {
    if ($script:Double) { Stop-TdsDouble -Double $script:Double }
}

Describe 'TDS double with System.Data.SqlClient' {
    It 'starts quickly and listens on 127.0.0.1' {
        $script:Double.Port | Should -BeGreaterThan 0
        $script:Double.StartMilliseconds | Should -BeLessThan 15000
        $script:Double.ConnectionString | Should -Match '^Data Source=127\.0\.0\.1,\d+;'
        $script:Double.ConnectionString | Should -Match 'Encrypt=False'
    }

    It 'logs in with SQL authentication' {
        $connection = Open-TestConnection
        try {
            $connection.State | Should -Be 'Open'
            $connection.ServerVersion | Should -Be '16.00.1000'
            $connection.Database | Should -Be 'master'
        } finally { $connection.Dispose() }
    }

    It 'refuses a wrong password with error 18456' {
        $builder = New-Object System.Data.SqlClient.SqlConnectionStringBuilder $script:Double.ConnectionString
        $builder['Password'] = 'not-the-password'
        $err = Get-SqlError { Open-TestConnection -ConnectionString $builder.ConnectionString }
        $err | Should -Not -BeNullOrEmpty
        $err.Number | Should -Be 18456
        $err.Class | Should -Be 14
        $err.Message | Should -Be "Login failed for user 'sa'."
    }

    It 'logs a parameterised SqlCommand as sp_executesql with decoded, typed parameters' {
        $before = @(Get-TdsDoubleLog -Double $script:Double).Count
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'UPDATE dbo.Jobs SET Name = @name, Size = @size WHERE Id = @id'
            [void]$command.Parameters.Add('@id', [System.Data.SqlDbType]::Int)
            $command.Parameters['@id'].Value = 42
            [void]$command.Parameters.Add('@size', [System.Data.SqlDbType]::BigInt)
            $command.Parameters['@size'].Value = [long]9007199254740993
            [void]$command.Parameters.Add('@name', [System.Data.SqlDbType]::NVarChar, 128)
            $command.Parameters['@name'].Value = "O'Brien; DROP TABLE x --"
            [void]$command.Parameters.Add('@when', [System.Data.SqlDbType]::DateTime2)
            $command.Parameters['@when'].Value = [datetime]'2024-05-06T07:08:09.1234567'
            [void]$command.Parameters.AddWithValue('@legacy', [datetime]'2024-05-06T07:08:09.123')
            [void]$command.Parameters.AddWithValue('@ok', $true)
            [void]$command.Parameters.AddWithValue('@set', $script:Guid)
            [void]$command.Parameters.AddWithValue('@hash', [byte[]](1, 2, 255))
            [void]$command.Parameters.Add('@none', [System.Data.SqlDbType]::NVarChar, 10)
            $command.Parameters['@none'].Value = [DBNull]::Value
            $command.ExecuteNonQuery() | Should -Be 2
        } finally { $connection.Dispose() }

        $entry = @(Get-NewLogEntry -Since $before)
        $entry.Count | Should -Be 1
        $entry[0].kind | Should -Be 'rpc'
        $entry[0].procedure | Should -Be 'sp_executesql'
        $entry[0].sql | Should -BeExactly 'UPDATE dbo.Jobs SET Name = @name, Size = @size WHERE Id = @id'
        $entry[0].declaration | Should -Match '^@id int,@size bigint,@name nvarchar\(128\),@when datetime2\(7\),@legacy datetime,'
        $p = $entry[0].parameters
        ($p | ForEach-Object { $_.name }) -join ',' | Should -Be '@id,@size,@name,@when,@legacy,@ok,@set,@hash,@none'
        ($p | ForEach-Object { $_.type }) -join ',' | Should -Be 'int,bigint,nvarchar,datetime2,datetime,bit,uniqueidentifier,varbinary,nvarchar'
        $p[0].value | Should -Be 42
        $p[1].value | Should -BeExactly '9007199254740993'
        $p[2].value | Should -BeExactly "O'Brien; DROP TABLE x --"
        $p[3].value | Should -BeExactly '2024-05-06T07:08:09.1234567'
        $p[4].value | Should -BeExactly '2024-05-06T07:08:09.123'
        $p[5].value | Should -BeTrue
        $p[6].value | Should -Be $script:Guid.ToString()
        $p[7].value | Should -BeExactly '0x0102FF'
        $p[8].value | Should -BeNullOrEmpty
    }

    It 'calls a stored procedure (CommandType StoredProcedure) as an RPC by name' {
        $before = @(Get-TdsDoubleLog -Double $script:Double).Count
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandType = [System.Data.CommandType]::StoredProcedure
            $command.CommandText = 'dbo.usp_RecordBackup'
            [void]$command.Parameters.Add('@Path', [System.Data.SqlDbType]::NVarChar, 260)
            $command.Parameters['@Path'].Value = '/backups/vmm.bak'
            $command.ExecuteScalar() | Should -Be 11
        } finally { $connection.Dispose() }
        $entry = @(Get-NewLogEntry -Since $before)
        $entry.Count | Should -Be 1
        $entry[0].kind | Should -Be 'rpc'
        $entry[0].procedure | Should -Be 'dbo.usp_RecordBackup'
        $entry[0].parameters[0].name | Should -Be '@Path'
        $entry[0].parameters[0].declaredAs | Should -Be 'nvarchar(260)'
        $entry[0].parameters[0].value | Should -Be '/backups/vmm.bak'
    }

    It 'fills output parameters and the return value from the rule' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'SELECT @size = SUM(backup_size) FROM msdb.dbo.backupset WHERE database_name = @db'
            [void]$command.Parameters.AddWithValue('@db', 'VirtualManagerDB')
            $size = $command.Parameters.Add('@size', [System.Data.SqlDbType]::BigInt)
            $size.Direction = [System.Data.ParameterDirection]::Output
            $label = $command.Parameters.Add('@label', [System.Data.SqlDbType]::NVarChar, 20)
            $label.Direction = [System.Data.ParameterDirection]::Output
            [void]$command.ExecuteNonQuery()
            $size.Value | Should -Be 9007199254740993
            $label.Value | Should -BeExactly 'full'

            $proc = $connection.CreateCommand()
            $proc.CommandType = [System.Data.CommandType]::StoredProcedure
            $proc.CommandText = 'dbo.usp_Check'
            $ok = $proc.Parameters.Add('@ok', [System.Data.SqlDbType]::Bit)
            $ok.Direction = [System.Data.ParameterDirection]::Output
            $status = $proc.Parameters.Add('@RETURN_VALUE', [System.Data.SqlDbType]::Int)
            $status.Direction = [System.Data.ParameterDirection]::ReturnValue
            [void]$proc.ExecuteNonQuery()
            $ok.Value | Should -BeTrue
            $status.Value | Should -Be 3
        } finally { $connection.Dispose() }
    }

    It 'applies a rule only to the parameter values it names' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'SELECT Id FROM dbo.Jobs WHERE Started = @when AND Name = @name'
            [void]$command.Parameters.AddWithValue('@when', [datetime]'2024-05-06T07:08:09.123')
            $name = $command.Parameters.AddWithValue('@name', 'nightly')
            $command.ExecuteScalar() | Should -Be 5
            $name.Value = 'weekly'
            (Get-SqlError { $command.ExecuteScalar() }).Number | Should -Be 50999
        } finally { $connection.Dispose() }
    }

    It 'returns rows of each type as SqlClient types them' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'SELECT Id, Size, Name FROM dbo.Backups WHERE Db = @db'
            [void]$command.Parameters.AddWithValue('@db', 'VirtualManagerDB')
            $reader = $command.ExecuteReader()
            try {
                $reader.Read() | Should -BeTrue
                $types = for ($i = 0; $i -lt $reader.FieldCount; $i++) { $reader.GetFieldType($i).Name }
                $types -join ',' | Should -Be 'Int32,Int64,String,DateTime,DateTime,Boolean,Guid,Byte[]'
                $reader.GetDataTypeName(3) | Should -Be 'datetime2'
                $reader.GetDataTypeName(4) | Should -Be 'datetime'
                $reader.GetInt32(0) | Should -Be 7
                $reader.GetInt64(1) | Should -Be 9007199254740993
                $reader.GetString(2) | Should -BeExactly 'VirtualManagerDB_full'
                $reader.GetDateTime(3).Ticks | Should -Be ([datetime]'2024-05-06T07:08:09.1234567').Ticks
                $reader.GetDateTime(4) | Should -Be ([datetime]'2024-05-06T07:09:10.123')
                $reader.GetBoolean(5) | Should -BeTrue
                $reader.GetGuid(6) | Should -Be $script:Guid
                [BitConverter]::ToString($reader.GetValue(7)) | Should -Be 'DE-AD-BE-EF'
                $reader.Read() | Should -BeTrue
                for ($i = 0; $i -lt $reader.FieldCount; $i++) { $reader.IsDBNull($i) | Should -BeTrue }
                $reader.Read() | Should -BeFalse
            } finally { $reader.Dispose() }
        } finally { $connection.Dispose() }
    }

    It 'returns msdb-style columns: numeric, smallint, char and varchar' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'SELECT TOP (1) backup_size FROM msdb.dbo.backupset'
            $reader = $command.ExecuteReader()
            try {
                $reader.Read() | Should -BeTrue
                $types = for ($i = 0; $i -lt $reader.FieldCount; $i++) { $reader.GetFieldType($i).Name }
                $types -join ',' | Should -Be 'Decimal,Decimal,String,Int16,String,String'
                $reader.GetDecimal(0) | Should -Be ([decimal]123456789012)
                $reader.GetDecimal(1) | Should -Be ([decimal]1.5)
                $reader.GetString(2) | Should -BeExactly 'D'
                $reader.GetInt16(3) | Should -Be 1
                $reader.GetString(4) | Should -BeExactly 'FULL'
                $reader.GetString(5) | Should -BeExactly 'ab '
                $reader.GetDataTypeName(0) | Should -Be 'decimal' # SqlClient names numeric columns decimal
                $reader.GetDataTypeName(2) | Should -Be 'char'
            } finally { $reader.Dispose() }
        } finally { $connection.Dispose() }
    }

    It 'raises InfoMessage events in order, as the messages arrive (FireInfoMessageEventOnUserErrors)' {
        $connection = Open-TestConnection
        try {
            $connection.FireInfoMessageEventOnUserErrors = $true
            $events = New-Object System.Collections.ArrayList
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $connection.add_InfoMessage({
                    param($sender, $e)
                    foreach ($err in $e.Errors) { [void]$events.Add([pscustomobject]@{ Number = $err.Number; Message = $err.Message; At = $clock.ElapsedMilliseconds }) }
                }.GetNewClosure())
            $command = $connection.CreateCommand()
            $command.CommandText = 'BACKUP DATABASE [VirtualManagerDB] TO DISK = @path WITH INIT, CHECKSUM, STATS = 10'
            [void]$command.Parameters.AddWithValue('@path', '/backups/vmm.bak')
            [void]$command.ExecuteNonQuery()
            $done = $clock.ElapsedMilliseconds
        } finally { $connection.Dispose() }
        ($events | ForEach-Object { $_.Message }) | Should -Be @(
            '10 percent processed.', '20 percent processed.', '30 percent processed.',
            'BACKUP DATABASE successfully processed 5 pages in 0.010 seconds (3.906 MB/sec).')
        ($events | ForEach-Object { $_.Number }) | Should -Be @(3211, 3211, 3211, 3014)
        # Progress is reported while the statement runs, not all at once at its end.
        ($events[1].At - $events[0].At) | Should -BeGreaterOrEqual 100
        ($done - $events[0].At) | Should -BeGreaterOrEqual 200
    }

    It 'delivers the same messages in order without FireInfoMessageEventOnUserErrors' {
        $connection = Open-TestConnection
        try {
            $messages = New-Object System.Collections.ArrayList
            $connection.add_InfoMessage({ param($sender, $e) foreach ($err in $e.Errors) { [void]$messages.Add($err.Message) } }.GetNewClosure())
            $command = $connection.CreateCommand()
            $command.CommandText = 'BACKUP DATABASE [VirtualManagerDB] TO DISK = @path WITH STATS = 10'
            [void]$command.Parameters.AddWithValue('@path', 'x')
            [void]$command.ExecuteNonQuery()
        } finally { $connection.Dispose() }
        @($messages)[0..2] | Should -Be @('10 percent processed.', '20 percent processed.', '30 percent processed.')
        @($messages).Count | Should -Be 4
    }

    It 'maps an error to SqlException with number, state and class; the connection stays usable' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = "RESTORE VERIFYONLY FROM DISK = N'x.bak'"
            $err = Get-SqlError { $command.ExecuteNonQuery() }
            $err.Number | Should -Be 3201
            $err.State | Should -Be 2
            $err.Class | Should -Be 16
            $err.Message | Should -BeExactly 'Cannot open backup device.'
            $connection.State | Should -Be 'Open'
            $command.CommandText = 'SELECT 42'
            $command.ExecuteScalar() | Should -Be 42
        } finally { $connection.Dispose() }
    }

    It 'several errors in one answer arrive as SqlException.Errors in order; Number is the first' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = "BACKUP DATABASE [Missing] TO DISK = N'/nope/x.bak'"
            $err = Get-SqlError { $command.ExecuteNonQuery() }
            $err.Number | Should -Be 3201
            @($err.Errors | ForEach-Object { $_.Number }) | Should -Be @(3201, 3013)
            $err.Message | Should -Match 'Operating system error 2\.[\r\n]+BACKUP DATABASE is terminating abnormally\.'
        } finally { $connection.Dispose() }
    }

    It 'with FireInfoMessageEventOnUserErrors a severity-16 error becomes an InfoMessage' {
        $connection = Open-TestConnection
        try {
            $connection.FireInfoMessageEventOnUserErrors = $true
            $numbers = New-Object System.Collections.ArrayList
            $connection.add_InfoMessage({ param($sender, $e) foreach ($err in $e.Errors) { [void]$numbers.Add($err.Number) } }.GetNewClosure())
            $command = $connection.CreateCommand()
            $command.CommandText = "RESTORE VERIFYONLY FROM DISK = N'x.bak'"
            [void]$command.ExecuteNonQuery()
            @($numbers) | Should -Be @(3201)
        } finally { $connection.Dispose() }
    }

    It 'a severity-20 error reaches SqlClient with class 20 and closes the connection' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = "BACKUP LOG [VirtualManagerDB] TO DISK = N'x.trn'"
            $err = Get-SqlError { $command.ExecuteNonQuery() }
            $err.Class | Should -Be 20
            @($err.Errors | ForEach-Object { $_.Number }) | Should -Contain 3013
            $connection.State | Should -Be 'Closed'
        } finally { $connection.Dispose() }
    }

    It 'a delay beyond CommandTimeout times out (-2) and the connection is reusable after the attention' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = "WAITFOR DELAY '00:00:10'"
            $command.CommandTimeout = 1
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $err = Get-SqlError { $command.ExecuteNonQuery() }
            $clock.ElapsedMilliseconds | Should -BeLessThan 5000
            $err.Number | Should -Be -2
            $connection.State | Should -Be 'Open'
            $command.CommandText = 'SELECT 42'
            $command.ExecuteScalar() | Should -Be 42
        } finally { $connection.Dispose() }
    }

    It 'a connection dropped mid-result fails the reader after the rows already sent' {
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'SELECT n FROM dbo.Big'
            $seen = New-Object System.Collections.ArrayList
            $err = Get-SqlError {
                $reader = $command.ExecuteReader()
                while ($reader.Read()) { [void]$seen.Add($reader.GetInt32(0)) }
            }
            $err | Should -Not -BeNullOrEmpty
            $err.Message | Should -Match 'transport-level error|connection'
            @($seen) | Should -Be @(1, 2)
        } finally { $connection.Dispose() }
    }

    It 'an unmatched statement fails loudly with error 50999 and is logged as unmatched' {
        $before = @(Get-TdsDoubleLog -Double $script:Double).Count
        $connection = Open-TestConnection
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = 'DROP DATABASE [VirtualManagerDB]'
            $err = Get-SqlError { $command.ExecuteNonQuery() }
            $err.Number | Should -Be 50999
            $err.Message | Should -Match 'no rule matches this statement: DROP DATABASE \[VirtualManagerDB\]'
        } finally { $connection.Dispose() }
        $entry = @(Get-NewLogEntry -Since $before)
        $entry.Count | Should -Be 1
        $entry[0].kind | Should -Be 'batch'
        $entry[0].unmatched | Should -BeTrue
    }

    It 'answers SqlTransaction begin, commit and rollback and logs them in order' {
        $before = @(Get-TdsDoubleLog -Double $script:Double).Count
        $connection = Open-TestConnection
        try {
            $transaction = $connection.BeginTransaction()
            $command = $connection.CreateCommand()
            $command.Transaction = $transaction
            $command.CommandText = 'UPDATE dbo.Jobs SET Done = 1 WHERE Id = @id'
            [void]$command.Parameters.AddWithValue('@id', 1)
            $command.ExecuteNonQuery() | Should -Be 2
            $transaction.Commit()
            $second = $connection.BeginTransaction()
            $second.Rollback()
        } finally { $connection.Dispose() }
        $entries = @(Get-NewLogEntry -Since $before)
        ($entries | ForEach-Object { "$($_.kind): $($_.sql)" }) | Should -Be @(
            'transaction: BEGIN TRANSACTION',
            'rpc: UPDATE dbo.Jobs SET Done = 1 WHERE Id = @id',
            'transaction: COMMIT TRANSACTION',
            'transaction: BEGIN TRANSACTION',
            'transaction: ROLLBACK TRANSACTION')
    }

    It 'gives no session to a client that demands encryption (Encrypt=True)' {
        $builder = New-Object System.Data.SqlClient.SqlConnectionStringBuilder $script:Double.ConnectionString
        $builder['Encrypt'] = $true
        $builder['TrustServerCertificate'] = $true
        $builder['Connect Timeout'] = 2
        $err = Get-SqlError { Open-TestConnection -ConnectionString $builder.ConnectionString }
        $err | Should -Not -BeNullOrEmpty
        $err.Message | Should -BeExactly 'The instance of SQL Server you attempted to connect to does not support encryption.'
    }

    It 'Set-TdsDoubleRule replaces the rules of the running double' {
        try {
            Set-TdsDoubleRule -Double $script:Double -Rules @(@{ match = '^SELECT 42$'; resultSets = @(@{ columns = @(@{ name = 'n'; type = 'int' }); rows = @(, @(43)) }) })
            $connection = Open-TestConnection
            try {
                $command = $connection.CreateCommand()
                $command.CommandText = 'SELECT 42'
                $command.ExecuteScalar() | Should -Be 43
            } finally { $connection.Dispose() }
        } finally {
            Set-TdsDoubleRule -Double $script:Double -Rules $script:Rules
        }
    }
}

Describe 'TdsDouble module' {
    It 'refuses rules the double cannot serve, at start' {
        { Start-TdsDouble -Rules @(@{ match = 'x'; resultSets = @(@{ columns = @(@{ name = 'a'; type = 'money' }); rows = @() }) }) -StartTimeoutSeconds 30 } |
            Should -Throw '*exited before listening*'
    }

    It 'stops the double and removes its files' {
        $double = Start-TdsDouble -Rules @() -User 'vmmbackup' -Password 'Another;Pass=word'
        $double.ConnectionString | Should -Match 'User ID=vmmbackup'
        ($double | Out-String) | Should -Not -Match 'Pass=word'
        $connection = New-Object System.Data.SqlClient.SqlConnection $double.ConnectionString
        $connection.Open()
        $connection.Dispose()
        $processId = $double.Process.Id
        Stop-TdsDouble -Double $double
        Get-Process -Id $processId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path -LiteralPath $double.Directory | Should -BeFalse
        $probe = New-Object System.Net.Sockets.TcpClient
        { $probe.Connect('127.0.0.1', $double.Port) } | Should -Throw
        $probe.Dispose()
    }
}
