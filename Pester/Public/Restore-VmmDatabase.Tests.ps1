<#
    Restore-VmmDatabase end to end: RESTORE VERIFYONLY, RESTORE FILELISTONLY and RESTORE DATABASE against the
    TDS double (exact T-SQL and parameters), and SCVMMRecover.exe through its seam (mocked).
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/VmmTestKit.psm1') -Force
    Get-Module VirtualMachineManager | Remove-Module -Force
    Import-Module (Join-Path $repoRoot 'generated/stubs/VirtualMachineManager/VirtualMachineManager.psd1') -Force
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $repoRoot 'Pester/Support/TdsDouble.psm1') -Force


    $password = 'Restore-Test-' + [guid]::NewGuid().ToString('N')
    $script:Double = Start-TdsDouble -Rules @() -Password $password
    $sqlServer = "127.0.0.1,$($script:Double.Port)"
    $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String $password -AsPlainText -Force)
    $database = "Virtual]Manager';DB"
    $backupFile = 'D:\VmmBackup\it''s];x.bak'

    $fileExistColumns = @(@{ name = 'File Exists'; type = 'int' }, @{ name = 'File is a Directory'; type = 'int' }, @{ name = 'Parent Directory Exists'; type = 'int' })
    function New-Rules {
        param([int] $FileExists = 1, [hashtable] $Verify = @{}, [hashtable] $Restore = @{})
        @(
            @{ match = '^EXEC master\.dbo\.xp_fileexist @path;$'; resultSets = @(@{ columns = $fileExistColumns; rows = @(, @($FileExists, 0, 1)) }) }
            (@{ match = '^RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;$'; messages = @(@{ number = 3262; text = 'The backup set on file 1 is valid.' }) } + $Verify)
            @{ match = '^RESTORE VERIFYONLY FROM DISK = @path;$'; messages = @(@{ number = 3262; text = 'The backup set on file 1 is valid.' }) }
            @{
                match      = '^RESTORE FILELISTONLY FROM DISK = @path;$'
                resultSets = @(@{
                        columns = @(@{ name = 'LogicalName'; type = 'nvarchar(128)' }, @{ name = 'PhysicalName'; type = 'nvarchar(260)' }, @{ name = 'Type'; type = 'nvarchar(1)' }, @{ name = 'FileGroupName'; type = 'nvarchar(128)' })
                        rows    = @(
                            @("VirtualManager'DB", 'C:\Program Files\SQL\DATA\VirtualManagerDB.mdf', 'D', 'PRIMARY'),
                            @('VirtualManagerDB_log', 'C:\Program Files\SQL\DATA\VirtualManagerDB_log.ldf', 'L', $null)
                        )
                    })
            }
            (@{ match = '^DECLARE @sql nvarchar\(max\) = N''RESTORE DATABASE'; messages = @(@{ number = 3211; text = '100 percent processed.' }, @{ number = 3014; text = 'RESTORE DATABASE successfully processed 4242 pages.' }) } + $Restore)
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

Describe 'Restore-VmmDatabase -Method Sql' {
    BeforeEach {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules)
        $script:Seen = @(Get-TdsDoubleLog -Double $script:Double).Count
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        Mock -ModuleName VmmBackup Invoke-VmmScvmmRecover { throw 'SCVMMRecover.exe must not run here' }
        Reset-VmmStub
    }

    It 'verifies, then restores WITH REPLACE, the name through QUOTENAME and the path as a parameter' {
        $result = Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false

        $log = @(Get-NewStatement)
        $log.Count | Should -Be 3
        $log[0].sql | Should -BeExactly 'EXEC master.dbo.xp_fileexist @path;'
        $log[1].sql | Should -BeExactly 'RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;'
        (Get-Parameter $log[1] '@path').value | Should -BeExactly $backupFile
        $log[2].sql | Should -BeExactly ("DECLARE @sql nvarchar(max) = N'RESTORE DATABASE ' + QUOTENAME(@db) + N' FROM DISK = @path WITH REPLACE, STATS';`n" +
            "EXEC sp_executesql @sql, N'@path nvarchar(4000)', @path = @path;")
        $log[2].declaration | Should -BeExactly '@db nvarchar(128),@path nvarchar(4000)'
        (Get-Parameter $log[2] '@db').value | Should -BeExactly $database
        (Get-Parameter $log[2] '@path').value | Should -BeExactly $backupFile

        $result.PSObject.TypeNames[0] | Should -Be 'VmmBackup.DatabaseRestore'
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Restore-VmmDatabase'
        $result.Path | Should -BeExactly $backupFile
        $result.Method | Should -Be 'Sql'
        $result.SqlServer | Should -BeExactly $sqlServer
        $result.Database | Should -BeExactly $database
        $result.Verified | Should -BeTrue
        $result.StartTime | Should -BeOfType [datetime]
        $result.EndTime | Should -BeGreaterOrEqual $result.StartTime
        Should -Invoke -ModuleName VmmBackup Invoke-VmmScvmmRecover -Times 0
    }

    It 'moves the files read with RESTORE FILELISTONLY to -DataPath and -LogPath' {
        $null = Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -DataPath "F:\Da'ta];" -LogPath 'G:\Log\' -Confirm:$false
        $log = @(Get-NewStatement)
        $log.Count | Should -Be 4
        $log[2].sql | Should -BeExactly 'RESTORE FILELISTONLY FROM DISK = @path;'
        $log[3].sql | Should -BeExactly ("DECLARE @sql nvarchar(max) = N'RESTORE DATABASE ' + QUOTENAME(@db) + N' FROM DISK = @path WITH REPLACE, STATS, MOVE @l0 TO @p0, MOVE @l1 TO @p1';`n" +
            "EXEC sp_executesql @sql, N'@path nvarchar(4000), @l0 nvarchar(128), @p0 nvarchar(4000), @l1 nvarchar(128), @p1 nvarchar(4000)', @path = @path, @l0 = @l0, @p0 = @p0, @l1 = @l1, @p1 = @p1;")
        $log[3].declaration | Should -BeExactly '@db nvarchar(128),@path nvarchar(4000),@l0 nvarchar(128),@p0 nvarchar(4000),@l1 nvarchar(128),@p1 nvarchar(4000)'
        (Get-Parameter $log[3] '@l0').value | Should -BeExactly "VirtualManager'DB"
        (Get-Parameter $log[3] '@p0').value | Should -BeExactly "F:\Da'ta];\VirtualManagerDB.mdf"
        (Get-Parameter $log[3] '@l1').value | Should -BeExactly 'VirtualManagerDB_log'
        (Get-Parameter $log[3] '@p1').value | Should -BeExactly 'G:\Log\VirtualManagerDB_log.ldf'
    }

    It 'moves only the data files when only -DataPath is given' {
        $null = Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database 'VirtualManagerDB' -SqlCredential $credential -DataPath 'F:\Data' -Confirm:$false
        $restore = @(Get-NewStatement)[3]
        $restore.sql | Should -Match 'WITH REPLACE, STATS, MOVE @l0 TO @p0'';'
        (Get-Parameter $restore '@p0').value | Should -BeExactly 'F:\Data\VirtualManagerDB.mdf'
        Get-Parameter $restore '@l1' | Should -BeNullOrEmpty
    }

    It 'refuses a backup that fails verification, without any RESTORE DATABASE' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -Verify @{ error = @{ number = 3013; message = 'VERIFY DATABASE is terminating abnormally.' } })
        { Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage "The backup '$backupFile' failed verification (RESTORE VERIFYONLY): VERIFY DATABASE is terminating abnormally. Nothing was restored."
        @(Get-NewStatement).sql | Should -Not -Match 'RESTORE DATABASE|FILELISTONLY'
    }

    It 'verifies a backup taken without checksums without CHECKSUM, with a warning' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -Verify @{ error = @{ number = 3187; message = 'RESTORE WITH CHECKSUM cannot be specified because the backup set does not contain checksum information.' } })
        $result = Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $log = @(Get-NewStatement)
        $log.sql[1..2] | Should -Be @('RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;', 'RESTORE VERIFYONLY FROM DISK = @path;')
        (Get-Parameter $log[2] '@path').value | Should -BeExactly $backupFile
        $log[3].sql | Should -Match "^DECLARE @sql nvarchar\(max\) = N'RESTORE DATABASE"
        $result.Verified | Should -BeTrue
        "$warnings" | Should -Match 'holds no checksums'
    }

    It '-WhatIf says what would run and sends no RESTORE statement' {
        # What if: messages go to the host only; a transcript records them.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -LiteralPath $transcript
        try {
            $result = Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -DataPath 'F:\Data' -WhatIf
        } finally {
            $null = Stop-Transcript
        }
        $result | Should -BeNullOrEmpty
        @(Get-NewStatement).sql | Should -Not -Match 'RESTORE'
        $text = (Get-Content -Raw -LiteralPath $transcript) -replace '\s+', ' '
        $text | Should -Match ([regex]::Escape("Verify (RESTORE VERIFYONLY FROM DISK = N'D:\VmmBackup\it''s];x.bak' WITH CHECKSUM), then replace the database (RESTORE DATABASE [Virtual]]Manager';DB] FROM DISK = N'D:\VmmBackup\it''s];x.bak' WITH REPLACE, STATS, MOVE each data file TO N'F:\Data')"))
    }

    It 'is ConfirmImpact High' {
        (Get-Command Restore-VmmDatabase).ScriptBlock.Attributes.Where({ $_ -is [System.Management.Automation.CmdletBindingAttribute] })[0].ConfirmImpact | Should -Be 'High'
    }

    It 'refuses a file SQL Server cannot see' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -FileExists 0)
        { Restore-VmmDatabase -Path 'D:\nowhere];.bak' -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage "SQL Server '$sqlServer' cannot see the backup file 'D:\nowhere];.bak'*Nothing was restored."
        @(Get-NewStatement).sql | Should -Not -Match 'RESTORE'
    }

    It 'refuses a folder or root directory as the backup file' {
        { Restore-VmmDatabase -Path ([System.IO.Path]::GetPathRoot($TestDrive)) -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage '*is a folder*'
        { Restore-VmmDatabase -Path $TestDrive -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage '*is a folder*'
        @(Get-NewStatement).Count | Should -Be 0
    }

    It 'says clearly when SQL Server cannot be reached' {
        { Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer '127.0.0.1,1' -Database $database -SqlCredential $credential -ConnectTimeout 1 -Confirm:$false } |
            Should -Throw -ExpectedMessage "Cannot connect to SQL Server '127.0.0.1,1'*"
    }

    It 'explains a restore that cannot get exclusive access' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -Restore @{ error = @{ number = 3101; message = 'Exclusive access could not be obtained because the database is in use.' } })
        { Restore-VmmDatabase -Path $backupFile -Method Sql -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage '*Exclusive access could not be obtained*Stop the VMM service (SCVMMService)*'
    }

    It 'takes the server and database from the VMM registry settings by default' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $Path; Values = @(
                    [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = $sqlServer }
                    [pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = "VMM'DB" }
                )
            }
        } -ParameterFilter { $Path -like '*\Settings\Sql' }
        $result = Restore-VmmDatabase -Path $backupFile -Method Sql -SqlCredential $credential -Confirm:$false
        $result.Database | Should -BeExactly "VMM'DB"
        (Get-Parameter @(Get-NewStatement)[2] '@db').value | Should -BeExactly "VMM'DB"
    }

    It 'needs the SQL Server instance when the registry names none' {
        { Restore-VmmDatabase -Path $backupFile -Method Sql -Database 'x' -Confirm:$false } | Should -Throw -ExpectedMessage '*give -SqlServer*'
    }
}

Describe 'Restore-VmmDatabase -Method ScvmmRecover' {
    BeforeEach {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules)
        $script:Seen = @(Get-TdsDoubleLog -Double $script:Double).Count
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        Mock -ModuleName VmmBackup Invoke-VmmScvmmRecover { [pscustomobject]@{ ExitCode = 0; Output = @('Recovered.') } }
        Reset-VmmStub
        $exe = Join-Path $TestDrive 'SCVMMRecover.exe'
        Set-Content -LiteralPath $exe -Value 'x'
        $local = Join-Path $TestDrive "local';].bak"
        Set-Content -LiteralPath $local -Value 'x'
    }

    It 'verifies through SQL Server, then runs SCVMMRecover.exe -Path <file> -Confirm with arguments as an array' {
        $result = Restore-VmmDatabase -Path $local -Method ScvmmRecover -ScvmmRecoverPath $exe -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false
        Should -Invoke -ModuleName VmmBackup Invoke-VmmScvmmRecover -Times 1 -Exactly -ParameterFilter {
            $FilePath -eq $exe -and $ArgumentList.Count -eq 3 -and $ArgumentList[0] -ceq '-Path' -and $ArgumentList[1] -ceq $local -and $ArgumentList[2] -ceq '-Confirm'
        }
        $log = @(Get-NewStatement)
        $log.sql | Should -Be @('EXEC master.dbo.xp_fileexist @path;', 'RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;')
        (Get-VmmStubCall -CommandName Get-SCVMMServer).BoundParameters['ComputerName'] | Should -Be 'localhost'
        $result.Method | Should -Be 'ScvmmRecover'
        $result.Verified | Should -BeTrue
        $result.Path | Should -BeExactly $local
    }

    It 'finds SCVMMRecover.exe under the VMM installation folder, and Auto uses it while VMM answers' {
        $install = Join-Path $TestDrive 'VMM'
        $null = New-Item -ItemType Directory -Path (Join-Path $install 'bin')
        Set-Content -LiteralPath (Join-Path (Join-Path $install 'bin') 'SCVMMRecover.exe') -Value 'x'
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $Path; Values = @([pscustomobject]@{ Name = 'InstallPath'; Kind = 'String'; Data = $install }) }
        } -ParameterFilter { $Path -like '*Virtual Machine Manager Server\Setup' }
        $result = Restore-VmmDatabase -Path $local -SqlServer $sqlServer -SqlCredential $credential -Confirm:$false
        $result.Method | Should -Be 'ScvmmRecover'
        $result.Database | Should -BeNullOrEmpty
        Should -Invoke -ModuleName VmmBackup Invoke-VmmScvmmRecover -Times 1 -Exactly -ParameterFilter { $FilePath -eq (Join-Path (Join-Path $install 'bin') 'SCVMMRecover.exe') }
    }

    It 'Auto restores through SQL Server when the VMM server does not answer' {
        Set-VmmStubBehavior -CommandName Get-SCVMMServer -ScriptBlock { throw 'The VMM service is not running. (1604)' }
        $result = Restore-VmmDatabase -Path $local -ScvmmRecoverPath $exe -SqlServer $sqlServer -Database $database -SqlCredential $credential -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Method | Should -Be 'Sql'
        "$warnings" | Should -Match '1604.*Restoring through SQL Server instead'
        Should -Invoke -ModuleName VmmBackup Invoke-VmmScvmmRecover -Times 0
        @(Get-NewStatement)[-1].sql | Should -Match "^DECLARE @sql nvarchar\(max\) = N'RESTORE DATABASE"
    }

    It '-Method ScvmmRecover stops when SCVMMRecover.exe is missing' {
        { Restore-VmmDatabase -Path $local -Method ScvmmRecover -ScvmmRecoverPath (Join-Path $TestDrive 'none.exe') -SqlServer $sqlServer -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage 'Cannot restore with SCVMMRecover.exe:*does not exist'
        @(Get-NewStatement).Count | Should -Be 0
    }

    It 'does not run SCVMMRecover.exe for a backup that fails verification' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-Rules -Verify @{ error = @{ number = 3241; message = 'The media family on device is incorrectly formed.' } })
        { Restore-VmmDatabase -Path $local -Method ScvmmRecover -ScvmmRecoverPath $exe -SqlServer $sqlServer -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage '*failed verification*incorrectly formed*'
        Should -Invoke -ModuleName VmmBackup Invoke-VmmScvmmRecover -Times 0
    }

    It 'reports a failing SCVMMRecover.exe' {
        Mock -ModuleName VmmBackup Invoke-VmmScvmmRecover { [pscustomobject]@{ ExitCode = 3; Output = @('Highly available VMM is not supported.') } }
        { Restore-VmmDatabase -Path $local -Method ScvmmRecover -ScvmmRecoverPath $exe -SqlServer $sqlServer -SqlCredential $credential -Confirm:$false } |
            Should -Throw -ExpectedMessage 'SCVMMRecover.exe failed (exit code 3): Highly available VMM is not supported.'
    }

    It '-WhatIf runs neither SCVMMRecover.exe nor any RESTORE' {
        Restore-VmmDatabase -Path $local -Method ScvmmRecover -ScvmmRecoverPath $exe -SqlServer $sqlServer -SqlCredential $credential -WhatIf | Should -BeNullOrEmpty
        Should -Invoke -ModuleName VmmBackup Invoke-VmmScvmmRecover -Times 0
        @(Get-NewStatement).sql | Should -Not -Match 'RESTORE'
    }
}
