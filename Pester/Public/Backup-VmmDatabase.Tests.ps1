<#
    Backup-VmmDatabase end to end: the SQL method against the TDS double (the exact T-SQL and parameters SQL
    Server receives), the VMM method against the generated VirtualMachineManager stubs.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/VmmTestKit.psm1') -Force
    Get-Module VirtualMachineManager | Remove-Module -Force
    Import-Module (Join-Path $repoRoot 'generated/stubs/VirtualMachineManager/VirtualMachineManager.psd1') -Force
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $repoRoot 'Pester/Support/TdsDouble.psm1') -Force


    $password = 'Backup-Test-' + [guid]::NewGuid().ToString('N')
    $script:Double = Start-TdsDouble -Rules @() -Password $password
    $sqlServer = "127.0.0.1,$($script:Double.Port)"
    $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String $password -AsPlainText -Force)
    $database = "Virtual]Manager';DB"

    $fileExistColumns = @(@{ name = 'File Exists'; type = 'int' }, @{ name = 'File is a Directory'; type = 'int' }, @{ name = 'Parent Directory Exists'; type = 'int' })
    function New-Rules {
        param([int] $IsDirectory = 1, $DatabaseId = 5, [hashtable] $Backup = @{}, [hashtable] $Verify = @{})
        $backupRule = @{ match = '^DECLARE @sql nvarchar\(max\) = N''BACKUP DATABASE' } + $Backup
        if (-not $Backup.ContainsKey('messages') -and -not $Backup.ContainsKey('error')) {
            $backupRule.messages = @(
                @{ number = 3211; text = '40 percent processed.' }
                @{ number = 3211; text = '100 percent processed.' }
                @{ number = 3014; text = 'BACKUP DATABASE successfully processed 4242 pages in 0.100 seconds (331.406 MB/sec).' }
            )
        }
        @(
            @{ match = '^SELECT DB_ID\(@db\) AS DatabaseId;$'; resultSets = @(@{ columns = @(@{ name = 'DatabaseId'; type = 'int' }); rows = @(, @($DatabaseId)) }) }
            @{ match = '^EXEC master\.dbo\.xp_fileexist @path;$'; resultSets = @(@{ columns = $fileExistColumns; rows = @(, @(0, $IsDirectory, 1)) }) }
            $backupRule
            (@{ match = '^RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;$'; messages = @(@{ number = 3262; text = 'The backup set on file 1 is valid.' }) } + $Verify)
        )
    }
    function Get-NewStatement {
        @(Get-TdsDoubleLog -Double $script:Double) | Select-Object -Skip $script:Seen
    }
    function Get-Parameter($Statement, [string] $Name) {
        $Statement.parameters | Where-Object name -EQ $Name
    }
}

AfterAll {
    if ($script:Double) { Stop-TdsDouble -Double $script:Double }
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
    Get-Module VirtualMachineManager | Remove-Module -Force
}

Describe 'Backup-VmmDatabase -Method Sql' {
    BeforeEach {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules)
        $script:Seen = @(Get-TdsDoubleLog -Double $script:Double).Count
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        Reset-VmmStub
    }

    It 'sends BACKUP DATABASE with QUOTENAME and the path as parameters, then RESTORE VERIFYONLY' {
        $folder = Join-Path $TestDrive "bak';]dir"
        $null = New-Item -ItemType Directory -Path $folder
        $result = Backup-VmmDatabase -Path $folder -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -CopyOnly -Compression

        $log = @(Get-NewStatement)
        $log.Count | Should -Be 4
        $log | ForEach-Object { $_.kind | Should -Be 'rpc'; $_.procedure | Should -Be 'sp_executesql'; $_.unmatched | Should -BeNullOrEmpty }

        $log[0].sql | Should -BeExactly 'SELECT DB_ID(@db) AS DatabaseId;'
        $log[0].declaration | Should -BeExactly '@db nvarchar(128)'
        (Get-Parameter $log[0] '@db').value | Should -BeExactly $database

        $log[1].sql | Should -BeExactly 'EXEC master.dbo.xp_fileexist @path;'
        (Get-Parameter $log[1] '@path').value | Should -BeExactly $folder

        $file = Join-Path $folder ("Virtual]Manager';DB_" + $result.StartTime.ToString('yyyyMMdd') )
        $log[2].sql | Should -BeExactly ("DECLARE @sql nvarchar(max) = N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK = @path WITH CHECKSUM, INIT, STATS, COPY_ONLY, COMPRESSION';`n" +
            "EXEC sp_executesql @sql, N'@path nvarchar(4000)', @path = @path;")
        $log[2].declaration | Should -BeExactly '@db nvarchar(128),@path nvarchar(4000)'
        (Get-Parameter $log[2] '@db').value | Should -BeExactly $database
        $backupPath = (Get-Parameter $log[2] '@path').value
        $backupPath | Should -BeLike "$file*"
        $backupPath | Should -Match "_\d{8}_\d{6}\.bak$"

        $log[3].sql | Should -BeExactly 'RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;'
        $log[3].declaration | Should -BeExactly '@path nvarchar(4000)'
        (Get-Parameter $log[3] '@path').value | Should -BeExactly $backupPath

        $result.PSObject.TypeNames[0] | Should -Be 'VmmBackup.DatabaseBackup'
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Backup-VmmDatabase'
        $result.Path | Should -BeExactly $backupPath
        $result.Method | Should -Be 'Sql'
        $result.SqlServer | Should -BeExactly $sqlServer
        $result.Database | Should -BeExactly $database
        $result.Verified | Should -BeTrue
        $result.SizeBytes | Should -BeNullOrEmpty
        $result.StartTime | Should -BeOfType [datetime]
        $result.EndTime | Should -BeOfType [datetime]
        $result.EndTime | Should -BeGreaterOrEqual $result.StartTime
        , $result.Removed | Should -BeOfType [string[]]
        $result.Removed.Count | Should -Be 0
        Get-VmmStubCall | Should -BeNullOrEmpty

        # The double writes no file, so this computer cannot see one: no verification record is written for it.
        Test-Path -LiteralPath ($backupPath + '.verify.json') | Should -BeFalse
    }

    It 'reports "N percent processed." messages as progress' {
        Mock -ModuleName VmmBackup Write-Progress { }
        $null = Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential
        Should -Invoke -ModuleName VmmBackup Write-Progress -Times 1 -Exactly -ParameterFilter { $PercentComplete -eq 40 -and $Status -eq '40 percent processed.' }
        Should -Invoke -ModuleName VmmBackup Write-Progress -Times 1 -Exactly -ParameterFilter { $PercentComplete -eq 100 -and $Status -eq '100 percent processed.' }
        Should -Invoke -ModuleName VmmBackup Write-Progress -Times 1 -Exactly -ParameterFilter { $Completed }
    }

    It 'takes the server and database from the VMM registry settings by default' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $Path; Values = @(
                    [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = $sqlServer }
                    [pscustomobject]@{ Name = 'InstanceName'; Kind = 'String'; Data = 'MSSQLSERVER' }
                    [pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = 'VMM;DB' }
                )
            }
        } -ParameterFilter { $Path -like '*\Settings\Sql' }
        $result = Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlCredential $credential
        $result.Database | Should -BeExactly 'VMM;DB'
        $result.SqlServer | Should -BeExactly $sqlServer
        (Get-Parameter @(Get-NewStatement)[2] '@db').value | Should -BeExactly 'VMM;DB'
    }

    It 'leaves out COPY_ONLY and COMPRESSION by default, and RESTORE VERIFYONLY with -SkipVerify' {
        $result = Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -SkipVerify
        $log = @(Get-NewStatement)
        $log.Count | Should -Be 3
        $log[2].sql | Should -Match "WITH CHECKSUM, INIT, STATS';"
        $log.sql | Should -Not -Match 'VERIFYONLY'
        $result.Verified | Should -BeFalse
    }

    It 'refuses a root directory before connecting' {
        $root = [System.IO.Path]::GetPathRoot($TestDrive)
        { Backup-VmmDatabase -Path $root -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential } |
            Should -Throw -ExpectedMessage '*is a root directory*'
        @(Get-NewStatement).Count | Should -Be 0
    }

    It 'keeps a Windows folder as SQL Server sees it and names the file under it with a backslash' {
        $result = Backup-VmmDatabase -Path "Z:\Vmm';]Backup\" -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -RetainDays 3 -WarningVariable warnings -WarningAction SilentlyContinue
        $log = @(Get-NewStatement)
        (Get-Parameter $log[1] '@path').value | Should -BeExactly "Z:\Vmm';]Backup"
        (Get-Parameter $log[2] '@path').value | Should -Match ('^' + [regex]::Escape("Z:\Vmm';]Backup\Virtual]Manager';DB_") + '\d{8}_\d{6}\.bak$')
        $result.Path | Should -BeExactly (Get-Parameter $log[2] '@path').value
        $result.SizeBytes | Should -BeNullOrEmpty
        $result.Removed.Count | Should -Be 0
        "$warnings" | Should -Match 'cannot see'
    }

    It 'refuses root directories as SQL Server sees them' {
        foreach ($root in @('Z:\', '\\backup01\vmm')) {
            { Backup-VmmDatabase -Path $root -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential } |
                Should -Throw -ExpectedMessage '*is a root directory*' -Because $root
        }
        @(Get-NewStatement).Count | Should -Be 0
    }

    It 'refuses a folder SQL Server cannot reach, without a BACKUP statement' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -IsDirectory 0)
        $folder = Join-Path $TestDrive "missing';]"
        { Backup-VmmDatabase -Path $folder -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential } |
            Should -Throw -ExpectedMessage "SQL Server '$sqlServer' cannot reach the folder '$folder'*"
        @(Get-NewStatement).sql | Should -Not -Match 'BACKUP'
    }

    It 'says so when the database does not exist' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -DatabaseId $null)
        { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'Nope];' -SqlCredential $credential } |
            Should -Throw -ExpectedMessage "The database 'Nope];' does not exist on SQL Server*"
        @(Get-NewStatement).Count | Should -Be 1
    }

    It 'says clearly when SQL Server cannot be reached' {
        { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer '127.0.0.1,1' -Database 'VirtualManagerDB' -SqlCredential $credential -ConnectTimeout 1 } |
            Should -Throw -ExpectedMessage "Cannot connect to SQL Server '127.0.0.1,1' with the SQL login 'sa'*"
    }

    It '-Encrypt asks SqlClient for TLS (the double offers none, so the connection is refused, before any statement)' {
        { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -Encrypt -TrustServerCertificate } |
            Should -Throw -ExpectedMessage "Cannot connect to SQL Server '$sqlServer'*encryption*"
        @(Get-NewStatement).Count | Should -Be 0
    }

    It 'never writes the password anywhere it can be read' {
        $err = $null
        try { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer '127.0.0.1,1' -Database 'VirtualManagerDB' -SqlCredential $credential -ConnectTimeout 1 } catch { $err = $_ }
        "$err $($err.Exception | Out-String)" | Should -Not -Match ([regex]::Escape($password))
        $result = Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -Verbose 4>&1
        ($result | Out-String) | Should -Not -Match ([regex]::Escape($password))
        (Get-Content -Raw -LiteralPath $script:Double.LogPath) | Should -Not -Match ([regex]::Escape($password))
    }

    It 'stops when the backup fails, with SQL Server''s message' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -Backup @{ error = @{ number = 3201; message = 'Cannot open backup device. Operating system error 5(Access is denied.).' } })
        { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential } |
            Should -Throw -ExpectedMessage "BACKUP DATABASE of 'VirtualManagerDB' on '$sqlServer' to '*' failed: Cannot open backup device*"
        @(Get-NewStatement).sql | Should -Not -Match 'VERIFYONLY'
    }

    It 'stops when the backup fails verification' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -Verify @{ error = @{ number = 3013; message = 'VERIFY DATABASE is terminating abnormally.' } })
        { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential } |
            Should -Throw -ExpectedMessage "*failed verification (RESTORE VERIFYONLY): VERIFY DATABASE is terminating abnormally.*"
    }

    It '-WhatIf sends nothing to SQL Server and returns nothing' {
        Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -WhatIf | Should -BeNullOrEmpty
        @(Get-NewStatement).Count | Should -Be 0
    }

    It '-RetainDays removes old backups of this database only, after a verified backup' {
        $folder = Join-Path $TestDrive 'retain'
        $null = New-Item -ItemType Directory -Path $folder
        $recent = (Get-Date).AddDays(-1).ToString('yyyyMMdd_HHmmss')
        $names = @("${database}_20200101_000000.bak", "${database}_$recent.bak", 'VirtualManagerDB_20200101_000000.bak', "${database}_old_20200101_000000.bak", "${database}_20200101_000000.bak.txt")
        foreach ($name in $names) { Set-Content -LiteralPath (Join-Path $folder $name) -Value 'x' }

        Set-Content -LiteralPath (Join-Path $folder "${database}_20200101_000000.bak.verify.json") -Value '{"Verified":true}'

        $result = Backup-VmmDatabase -Path $folder -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -RetainDays 7
        $result.Removed | Should -Be @((Join-Path $folder "${database}_20200101_000000.bak"))
        # The new backup's record is not there: the double writes no file this computer could hash.
        $expected = @($names[1..4])
        @(Get-ChildItem -LiteralPath $folder | ForEach-Object Name | Sort-Object) | Should -Be @($expected | Sort-Object)
    }

    It '-RetainDays removes nothing when the backup is not verified' {
        $folder = Join-Path $TestDrive 'retain-skip'
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content -LiteralPath (Join-Path $folder 'VirtualManagerDB_20200101_000000.bak') -Value 'x'
        $result = Backup-VmmDatabase -Path $folder -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -RetainDays 7 -SkipVerify -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Removed.Count | Should -Be 0
        Test-Path -LiteralPath (Join-Path $folder 'VirtualManagerDB_20200101_000000.bak') | Should -BeTrue
        "$warnings" | Should -Match 'not verified'
        @(Get-ChildItem -LiteralPath $folder -Filter '*.verify.json').Count | Should -Be 0
    }

    It 'needs a server and database when the registry names none' {
        { Backup-VmmDatabase -Path $TestDrive -Method Sql -SqlCredential $credential } | Should -Throw -ExpectedMessage '*give -SqlServer and -Database*'
    }
}

Describe 'Backup-VmmDatabase -Method Vmm' {
    BeforeEach {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules)
        $script:Seen = @(Get-TdsDoubleLog -Double $script:Double).Count
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        Reset-VmmStub
    }

    It 'pipes Get-SCVMMServer into Backup-SCVMMServer -Path, then verifies the file VMM wrote' {
        $folder = Join-Path $TestDrive "vmm';]"
        $null = New-Item -ItemType Directory -Path $folder
        Set-VmmStubBehavior -CommandName Backup-SCVMMServer -ScriptBlock {
            param($Call)
            Set-Content -LiteralPath (Join-Path $Call.BoundParameters['Path'] 'VirtualManagerDB-vmm.bak') -Value 'backup'
            $Call.BoundParameters['VMMServer']
        }
        $result = Backup-VmmDatabase -Path $folder -Method Vmm -VMMServer 'vmm01' -SqlServer $sqlServer -Database $database -SqlCredential $credential

        $calls = @(Get-VmmStubCall)
        $calls.CommandName | Should -Be @('Get-SCVMMServer', 'Backup-SCVMMServer')
        $calls[0].BoundParameters['ComputerName'] | Should -BeExactly 'vmm01'
        $calls[1].BoundParameters['Path'] | Should -BeExactly $folder
        $calls[1].BoundParameters['VMMServer'].Name | Should -BeExactly 'vmm01'
        $calls[1].BoundParameters['VMMServer'].PSObject.TypeNames[0] | Should -Be 'VmmStub.ServerConnection'
        @($calls[1].BoundParameters.Keys) | Should -Be @('Path', 'VMMServer')

        $file = Join-Path $folder 'VirtualManagerDB-vmm.bak'
        $log = @(Get-NewStatement)
        $log.Count | Should -Be 1
        $log[0].sql | Should -BeExactly 'RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;'
        (Get-Parameter $log[0] '@path').value | Should -BeExactly $file

        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Backup-VmmDatabase'
        $result.Method | Should -Be 'Vmm'
        $result.Path | Should -BeExactly $file
        $result.SizeBytes | Should -Be (Get-Item -LiteralPath $file).Length
        $result.Verified | Should -BeTrue

        # The verification record names the very file RESTORE VERIFYONLY accepted: name, size and SHA-256.
        $record = Get-Content -LiteralPath ($file + '.verify.json') -Raw | ConvertFrom-Json
        $record.File | Should -BeExactly 'VirtualManagerDB-vmm.bak'
        $record.SizeBytes | Should -Be (Get-Item -LiteralPath $file).Length
        $record.Sha256 | Should -BeExactly ((Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant())
        $record.Verified | Should -BeTrue
        $record.Database | Should -BeExactly $database
        $record.PSObject.Properties.Name | Should -Not -Contain 'Password'
        (Get-Content -LiteralPath ($file + '.verify.json') -Raw) | Should -Not -Match ([regex]::Escape($credential.GetNetworkCredential().Password))
        & (Get-Module VmmBackup) { param($Path) Test-VmmDscDatabaseFile -LiteralPath $Path } $file | Should -Match "lacks the Microsoft Tape Format header"
    }

    It 'warns that -CopyOnly and -Compression do not apply to Backup-SCVMMServer' {
        $null = Backup-VmmDatabase -Path $TestDrive -Method Vmm -CopyOnly -Compression -SkipVerify -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'CopyOnly and -Compression apply to the SQL method only'
        @(Get-VmmStubCall -CommandName Backup-SCVMMServer).Count | Should -Be 1
    }

    It 'Auto uses VMM while the VMM server answers' {
        Set-VmmStubBehavior -CommandName Backup-SCVMMServer -ScriptBlock { param($Call) Set-Content -LiteralPath (Join-Path $Call.BoundParameters['Path'] 'a.bak') -Value 'b' }
        $result = Backup-VmmDatabase -Path $TestDrive -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -SkipVerify
        $result.Method | Should -Be 'Vmm'
        $result.Verified | Should -BeFalse
        (Get-VmmStubCall -CommandName Get-SCVMMServer).BoundParameters['ComputerName'] | Should -BeExactly 'localhost'
        @(Get-NewStatement).Count | Should -Be 0
    }

    It 'Auto falls back to SQL Server when the VMM server does not answer' {
        Set-VmmStubBehavior -CommandName Get-SCVMMServer -ScriptBlock { throw 'You cannot contact the VMM management server. (1605)' }
        $result = Backup-VmmDatabase -Path $TestDrive -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Method | Should -Be 'Sql'
        $result.Verified | Should -BeTrue
        "$warnings" | Should -Match '1605.*Backing up straight through SQL Server'
        Get-VmmStubCall -CommandName Backup-SCVMMServer | Should -BeNullOrEmpty
        @(Get-NewStatement).Count | Should -Be 4
    }

    It '-Method Vmm stops when the VMM server does not answer' {
        Set-VmmStubBehavior -CommandName Get-SCVMMServer -ScriptBlock { throw 'You cannot contact the VMM management server. (1605)' }
        { Backup-VmmDatabase -Path $TestDrive -Method Vmm -VMMServer "vmm';]" } | Should -Throw -ExpectedMessage "Cannot connect to the VMM management server 'vmm'';]'*".Replace("''", "'")
        Get-VmmStubCall -CommandName Backup-SCVMMServer | Should -BeNullOrEmpty
    }

    It 'stops when Backup-SCVMMServer fails' {
        Set-VmmStubBehavior -CommandName Backup-SCVMMServer -ScriptBlock { throw 'Unable to back up the VMM database. (2912)' }
        { Backup-VmmDatabase -Path $TestDrive -Method Vmm } | Should -Throw -ExpectedMessage "Backup-SCVMMServer failed for 'localhost' into '*': *2912*"
    }

    It 'refuses a root directory before calling VMM' {
        { Backup-VmmDatabase -Path ([System.IO.Path]::GetPathRoot($TestDrive)) -Method Vmm } | Should -Throw -ExpectedMessage '*root directory*'
        Get-VmmStubCall | Should -BeNullOrEmpty
    }

    It '-WhatIf does not call Backup-SCVMMServer' {
        Backup-VmmDatabase -Path $TestDrive -Method Vmm -WhatIf | Should -BeNullOrEmpty
        Get-VmmStubCall -CommandName Backup-SCVMMServer | Should -BeNullOrEmpty
    }
}
