<#
    Invoke-VmmRestoreDrill: the database drill against the TDS double (exact T-SQL, parameters and order, the
    drop after a failure in each step, a stopped drill, a killed drill cleaned up by the next one), the library
    drill on real files (a flipped byte fails it, -SampleBytes), the registry and inventory drills, the drill
    record, Test-VmmBackup's LastDrill, and the HTML report.
#>

BeforeAll {
    $script:RepoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $script:RepoRoot 'Pester/Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    Import-Module (Join-Path $script:RepoRoot 'Pester/Support/TdsDouble.psm1') -Force

    $script:Password = 'Drill-Test-' + [guid]::NewGuid().ToString('N')
    $script:Double = Start-TdsDouble -Rules @() -Password $script:Password
    $script:SqlServer = "127.0.0.1,$($script:Double.Port)"
    $script:Credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String $script:Password -AsPlainText -Force)

    $script:LeftoverQuery = 'SELECT name FROM sys.databases WHERE name LIKE @pattern;'
    $script:FileListQuery = 'RESTORE FILELISTONLY FROM DISK = @path;'
    $script:FolderQuery = "SELECT CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(4000)) AS DataPath, CAST(SERVERPROPERTY('InstanceDefaultLogPath') AS nvarchar(4000)) AS LogPath;"
    $script:RestoreQuery = "DECLARE @sql nvarchar(max) = N'RESTORE DATABASE ' + QUOTENAME(@db) + N' FROM DISK = @path WITH MOVE @l0 TO @p0, MOVE @l1 TO @p1, CHECKSUM, STATS';`n" +
        "EXEC sp_executesql @sql, N'@path nvarchar(4000), @l0 nvarchar(128), @p0 nvarchar(4000), @l1 nvarchar(128), @p1 nvarchar(4000)', @path = @path, @l0 = @l0, @p0 = @p0, @l1 = @l1, @p1 = @p1;"
    $script:CheckDbQuery = "DECLARE @sql nvarchar(max) = N'DBCC CHECKDB (' + QUOTENAME(@db) + N') WITH NO_INFOMSGS, ALL_ERRORMSGS';`nEXEC sp_executesql @sql;"
    $script:TablesQuery = "DECLARE @sql nvarchar(max) = N'SELECT (SELECT COUNT_BIG(*) FROM ' + QUOTENAME(@db) + N'.[dbo].[tbl_VMM_Server]) AS [VmmServers], " +
        "(SELECT COUNT_BIG(*) FROM ' + QUOTENAME(@db) + N'.[dbo].[tbl_ADHC_Host]) AS [Hosts], " +
        "(SELECT COUNT_BIG(*) FROM ' + QUOTENAME(@db) + N'.[dbo].[tbl_WLC_VObject]) AS [VirtualMachines], " +
        "(SELECT COUNT_BIG(*) FROM ' + QUOTENAME(@db) + N'.[dbo].[tbl_WLC_PhysicalObject]) AS [LibraryObjects]';`nEXEC sp_executesql @sql;"
    $script:DropQuery = "IF DB_ID(@db) IS NOT NULL`nBEGIN`n    DECLARE @sql nvarchar(max) = N'DROP DATABASE ' + QUOTENAME(@db);`n    EXEC sp_executesql @sql;`nEND"
    $script:Pattern = '%[_]drill[_][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'

    function New-DrillRules {
        param([string[]] $Leftovers = @(), [hashtable] $Restore = @{}, [hashtable] $CheckDb = @{}, [hashtable] $Tables = @{}, [hashtable] $Drop = @{})
        $rx = { param([string] $Text) '^' + [regex]::Escape($Text) + '$' }
        $leftoverRows = @($Leftovers | ForEach-Object { , @($_) })
        @(
            @{ match = (& $rx $script:LeftoverQuery); resultSets = @(@{ columns = @(@{ name = 'name'; type = 'nvarchar(128)' }); rows = $leftoverRows }) }
            @{
                match      = (& $rx $script:FileListQuery)
                resultSets = @(@{
                        columns = @(@{ name = 'LogicalName'; type = 'nvarchar(128)' }, @{ name = 'PhysicalName'; type = 'nvarchar(260)' }, @{ name = 'Type'; type = 'nvarchar(1)' })
                        rows    = @(
                            @("VirtualManager'DB", 'C:\Program Files\SQL\DATA\VirtualManagerDB.mdf', 'D'),
                            @('VirtualManagerDB_log', 'C:\Program Files\SQL\DATA\VirtualManagerDB_log.ldf', 'L')
                        )
                    })
            }
            @{ match = (& $rx $script:FolderQuery); resultSets = @(@{ columns = @(@{ name = 'DataPath'; type = 'nvarchar(4000)' }, @{ name = 'LogPath'; type = 'nvarchar(4000)' }); rows = @(, @('S:\Data\', 'L:\Log\')) }) }
            (@{ match = (& $rx $script:RestoreQuery); messages = @(@{ number = 3211; text = '100 percent processed.' }, @{ number = 3014; text = 'RESTORE DATABASE successfully processed 4242 pages.' }) } + $Restore)
            (@{ match = (& $rx $script:CheckDbQuery); rowsAffected = 0 } + $CheckDb)
            (@{ match = (& $rx $script:TablesQuery); resultSets = @(@{ columns = @(@{ name = 'VmmServers'; type = 'bigint' }, @{ name = 'Hosts'; type = 'bigint' }, @{ name = 'VirtualMachines'; type = 'bigint' }, @{ name = 'LibraryObjects'; type = 'bigint' }); rows = @(, @(1, 12, 340, 57)) }) } + $Tables)
            (@{ match = (& $rx $script:DropQuery); rowsAffected = 0 } + $Drop)
        )
    }
    function Get-NewStatement {
        @(Get-TdsDoubleLog -Double $script:Double) | Select-Object -Skip $script:Seen
    }
    function Get-Parameter($Statement, [string] $Name) {
        ($Statement.parameters | Where-Object name -EQ $Name).value
    }
    function New-DatabaseFolder {
        param([string] $Name = 'VirtualManagerDB_20261205_020000.bak')
        $folder = Join-Path $TestDrive ('db-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $file = Join-Path $folder $Name
        [System.IO.File]::WriteAllBytes($file, [byte[]](84, 65, 80, 69, 1, 2, 3, 4))
        (Get-Item -LiteralPath $file).LastWriteTimeUtc = (Get-Date).ToUniversalTime().AddHours(-30)
        $folder
    }
    function New-LibraryBackup {
        $id = [guid]::NewGuid().ToString('N')
        $share = Join-Path $TestDrive "share $id"
        $null = New-Item -ItemType Directory -Path (Join-Path $share "ISO [x];it's"), (Join-Path $share 'VHDs') -Force
        [System.IO.File]::WriteAllText((Join-Path $share "ISO [x];it's/setup'];.iso"), 'iso image')
        $bytes = New-Object byte[] 300000
        (New-Object System.Random 7).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes((Join-Path $share 'VHDs/base.vhdx'), $bytes)
        [System.IO.File]::WriteAllText((Join-Path $share 'deploy.ps1'), 'Write-Output 1')
        $destination = Join-Path $TestDrive "library;[$id]'"
        $null = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $destination
    }
    $script:DrillArgs = @{ SqlServer = $script:SqlServer; SqlCredential = $script:Credential; Confirm = $false }
}

AfterAll {
    if ($script:Double) { Stop-TdsDouble -Double $script:Double }
    Remove-VmmTestModule
}

Describe 'Invoke-VmmRestoreDrill -Item Database' {
    BeforeEach {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules)
        $script:Seen = @(Get-TdsDoubleLog -Double $script:Double).Count
        Reset-VmmStub
    }

    It 'restores under a scratch name, runs CHECKDB, counts the VMM tables and drops it, in that order, names through QUOTENAME and values as parameters' {
        $folder = New-DatabaseFolder -Name "Virtual]Manager'DB_20261205_020000.bak"
        $bak = Join-Path $folder "Virtual]Manager'DB_20261205_020000.bak"
        $result = Invoke-VmmRestoreDrill -Path $folder -Item Database @script:DrillArgs

        $log = @(Get-NewStatement)
        @($log.sql) | Should -Be @($script:LeftoverQuery, $script:FileListQuery, $script:FolderQuery, $script:RestoreQuery, $script:CheckDbQuery, $script:TablesQuery, $script:DropQuery)
        Get-Parameter $log[0] '@pattern' | Should -BeExactly $script:Pattern
        Get-Parameter $log[1] '@path' | Should -BeExactly $bak
        $scratch = Get-Parameter $log[3] '@db'
        $scratch | Should -Match ('^' + [regex]::Escape("Virtual]Manager'DB") + '_drill_\d{14}$')
        $log[3].declaration | Should -BeExactly '@db nvarchar(128),@path nvarchar(4000),@l0 nvarchar(128),@p0 nvarchar(4000),@l1 nvarchar(128),@p1 nvarchar(4000)'
        Get-Parameter $log[3] '@path' | Should -BeExactly $bak
        Get-Parameter $log[3] '@l0' | Should -BeExactly "VirtualManager'DB"
        Get-Parameter $log[3] '@p0' | Should -BeExactly ('S:\Data\' + $scratch + '_0.mdf')
        Get-Parameter $log[3] '@l1' | Should -BeExactly 'VirtualManagerDB_log'
        Get-Parameter $log[3] '@p1' | Should -BeExactly ('L:\Log\' + $scratch + '_1.ldf')
        foreach ($n in 4, 5, 6) { Get-Parameter $log[$n] '@db' | Should -BeExactly $scratch }

        $result.PSObject.TypeNames[0] | Should -Be 'VmmBackup.DrillResult'
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Invoke-VmmRestoreDrill'
        $result.Item | Should -Be 'Database'
        $result.State | Should -Be 'Passed'
        $result.Path | Should -BeExactly $bak
        $result.RpoHours | Should -BeGreaterOrEqual 29.9
        $result.RpoHours | Should -BeLessThan 31
        $result.RtoSeconds | Should -BeGreaterOrEqual 0
        $result.Bytes | Should -Be 8
        ($result.Evidence -join "`n") | Should -Match 'DBCC CHECKDB found no errors'
        ($result.Evidence -join "`n") | Should -Match 'VmmServers 1 \(tbl_VMM_Server\), Hosts 12 \(tbl_ADHC_Host\), VirtualMachines 340 \(tbl_WLC_VObject\), LibraryObjects 57 \(tbl_WLC_PhysicalObject\)'
        ($result.Evidence -join "`n") | Should -Match ([regex]::Escape("Dropped the scratch database '$scratch'"))
    }

    It 'drops the scratch database after a failure of <Step>, and reports Failed with SQL Server''s message' -ForEach @(
        @{ Step = 'RESTORE DATABASE'; Rule = 'Restore'; Expect = 5; Message = 'Msg 3183: RESTORE detected an error on page (1:42)' }
        @{ Step = 'DBCC CHECKDB'; Rule = 'CheckDb'; Expect = 6; Message = 'Msg 8928: Object ID 5, index ID 1: Page (1:42) could not be processed' }
        @{ Step = 'the VMM tables'; Rule = 'Tables'; Expect = 7; Message = "Msg 208: Invalid object name 'x.dbo.tbl_VMM_Server'" }
    ) {
        $number = [int]([regex]::Match($Message, 'Msg (\d+)').Groups[1].Value)
        $text = $Message.Substring($Message.IndexOf(': ') + 2)
        $rules = @{ $Rule = @{ error = @{ number = $number; message = $text } } }
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules @rules)
        $result = Invoke-VmmRestoreDrill -Path (New-DatabaseFolder) -Item Database @script:DrillArgs
        $log = @(Get-NewStatement)
        $log.Count | Should -Be $Expect
        $log[$Expect - 1].sql | Should -BeExactly $script:DropQuery
        Get-Parameter $log[$Expect - 1] '@db' | Should -BeExactly (Get-Parameter $log[3] '@db')
        $result.State | Should -Be 'Failed'
        ($result.Evidence -join "`n") | Should -Match ([regex]::Escape($Message))
        ($result.Evidence -join "`n") | Should -Match 'Dropped the scratch database'
    }

    It 'says so and stays Failed when the drop itself fails' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules -Drop @{ error = @{ number = 3702; message = 'Cannot drop database because it is currently in use.' } })
        $result = Invoke-VmmRestoreDrill -Path (New-DatabaseFolder) -Item Database @script:DrillArgs
        $result.State | Should -Be 'Failed'
        ($result.Evidence -join "`n") | Should -Match 'Could not drop the scratch database .* \(the next drill drops it\): Msg 3702'
    }

    It 'drops the leftover of a drill that did not finish before restoring, and never a database outside the drill''s pattern' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules -Leftovers @('VirtualManagerDB_drill_20261201020304', 'VirtualManagerDB'))
        $result = Invoke-VmmRestoreDrill -Path (New-DatabaseFolder) -Item Database @script:DrillArgs
        $log = @(Get-NewStatement)
        @($log.sql) | Should -Be @($script:LeftoverQuery, $script:DropQuery, $script:FileListQuery, $script:FolderQuery, $script:RestoreQuery, $script:CheckDbQuery, $script:TablesQuery, $script:DropQuery)
        Get-Parameter $log[1] '@db' | Should -BeExactly 'VirtualManagerDB_drill_20261201020304'
        @($log | Where-Object { $_.sql -eq $script:DropQuery } | ForEach-Object { Get-Parameter $_ '@db' }) | Should -Not -Contain 'VirtualManagerDB'
        $result.State | Should -Be 'Passed'
        ($result.Evidence -join "`n") | Should -Match "Dropped the leftover drill database 'VirtualManagerDB_drill_20261201020304'"
    }

    It 'drops the scratch database when the drill is stopped during CHECKDB' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules -CheckDb @{ delayMs = 3000 })
        $folder = New-DatabaseFolder
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $Stubs, $Folder, $SqlServer, $Credential)
                    Import-Module $Stubs
                    Import-Module $Module
                    Invoke-VmmRestoreDrill -Path $Folder -Item Database -SqlServer $SqlServer -SqlCredential $Credential -Confirm:$false
                }).AddArgument((Join-Path $script:RepoRoot 'generated/VmmBackup/VmmBackup.psd1')).AddArgument((Join-Path $script:RepoRoot 'generated/stubs/VirtualMachineManager/VirtualMachineManager.psd1')).AddArgument($folder).AddArgument($script:SqlServer).AddArgument($script:Credential)
            $async = $ps.BeginInvoke()
            $deadline = (Get-Date).AddSeconds(60)
            while (-not (@(Get-NewStatement).sql -contains $script:CheckDbQuery) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
            @(Get-NewStatement).sql | Should -Contain $script:CheckDbQuery
            $ps.Stop()
            $null = $async.AsyncWaitHandle.WaitOne(30000)
        } finally {
            $ps.Dispose()
        }
        $log = @(Get-NewStatement)
        $log[-1].sql | Should -BeExactly $script:DropQuery
        Get-Parameter $log[-1] '@db' | Should -BeExactly (Get-Parameter $log[3] '@db')
        @($log.sql) | Should -Not -Contain $script:TablesQuery
    }

    It 'leaves the scratch database when the drill is killed, and the next drill drops it first' {
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules -CheckDb @{ delayMs = 120000 })
        $folder = New-DatabaseFolder
        $script = Join-Path $TestDrive 'killed-drill.ps1'
        $passwordVariable = 'VMMBACKUP_DRILL_TEST_PASSWORD'
        Set-Content -LiteralPath $script -Value @'
param($Module, $Stubs, $Folder, $SqlServer, $PasswordVariable)
Import-Module $Stubs
Import-Module $Module
$credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String ([Environment]::GetEnvironmentVariable($PasswordVariable)) -AsPlainText -Force)
Invoke-VmmRestoreDrill -Path $Folder -Item Database -SqlServer $SqlServer -SqlCredential $credential -Confirm:$false
'@
        $pwsh = Join-Path $script:RepoRoot '.tools/pwsh/pwsh'
        if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = (Get-Process -Id $PID).Path }
        $startInfo = New-Object System.Diagnostics.ProcessStartInfo
        $startInfo.FileName = $pwsh
        foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $script, (Join-Path $script:RepoRoot 'generated/VmmBackup/VmmBackup.psd1'), (Join-Path $script:RepoRoot 'generated/stubs/VirtualMachineManager/VirtualMachineManager.psd1'), $folder, $script:SqlServer, $passwordVariable)) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.UseShellExecute = $false
        $startInfo.EnvironmentVariables[$passwordVariable] = $script:Password
        $process = [System.Diagnostics.Process]::Start($startInfo)
        try {
            $deadline = (Get-Date).AddSeconds(90)
            while (-not (@(Get-NewStatement).sql -contains $script:CheckDbQuery) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
            @(Get-NewStatement).sql | Should -Contain $script:CheckDbQuery
        } finally {
            # The whole tree: the pwsh of .tools is a launcher that runs PowerShell in a child process.
            $process.Kill($true)
            $null = $process.WaitForExit(10000)
            $process.Dispose()
        }
        $killed = @(Get-NewStatement)
        @($killed.sql) | Should -Not -Contain $script:DropQuery
        $leftover = Get-Parameter $killed[3] '@db'

        # SQL Server now lists the leftover; the next drill finds it and drops it before its own restore.
        $script:Seen += $killed.Count
        Set-TdsDoubleRule -Double $script:Double -Rules (New-DrillRules -Leftovers @($leftover))
        $result = Invoke-VmmRestoreDrill -Path $folder -Item Database @script:DrillArgs
        $next = @(Get-NewStatement)
        @($next.sql)[0..2] | Should -Be @($script:LeftoverQuery, $script:DropQuery, $script:FileListQuery)
        Get-Parameter $next[1] '@db' | Should -BeExactly $leftover
        $result.State | Should -Be 'Passed'
    }

    It 'is Skipped, without any statement, when no SQL Server is named' {
        $result = Invoke-VmmRestoreDrill -Path (New-DatabaseFolder) -Item Database -Confirm:$false
        $result.State | Should -Be 'Skipped'
        ($result.Evidence -join ' ') | Should -Match 'give -SqlServer'
        @(Get-NewStatement).Count | Should -Be 0
    }

    It '-WhatIf sends no statement and returns nothing' {
        $result = Invoke-VmmRestoreDrill -Path (New-DatabaseFolder) -Item Database -SqlServer $script:SqlServer -SqlCredential $script:Credential -WhatIf
        $result | Should -BeNullOrEmpty
        @(Get-NewStatement).Count | Should -Be 0
    }
}

Describe 'Invoke-VmmRestoreDrill -Item Library' {
    BeforeEach {
        Reset-VmmStub
        $script:Scratch = Join-Path $TestDrive ('scratch-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Scratch
    }

    It 'restores the newest set with Restore-VmmLibraryShare into a scratch folder, verifies every byte, removes the scratch folder and records the drill' {
        $destination = New-LibraryBackup
        Mock -ModuleName VmmBackup Restore-VmmLibraryShare { & (Get-Command -Module VmmBackup -Name Restore-VmmLibraryShare -CommandType Function).ScriptBlock @PesterBoundParameters }
        $result = Invoke-VmmRestoreDrill -Path $destination -Item Library -ScratchPath $script:Scratch -Confirm:$false
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Invoke-VmmRestoreDrill'
        $result.State | Should -Be 'Passed'
        $result.Sampled | Should -BeFalse
        $result.Bytes | Should -Be (300000 + 9 + 14)
        $result.RtoSeconds | Should -BeGreaterThan 0
        $result.BytesPerSecond | Should -BeGreaterThan 0
        $result.RpoHours | Should -BeLessThan 1
        ($result.Evidence -join "`n") | Should -Match 'Verified 3 file\(s\), 300,023 bytes, byte for byte'
        Should -Invoke -ModuleName VmmBackup Restore-VmmLibraryShare -Times 1 -Exactly
        @(Get-ChildItem -LiteralPath $script:Scratch -Force).Count | Should -Be 0
        $records = @(Get-ChildItem -LiteralPath (Join-Path $destination 'drills') -Filter 'drill-*.json')
        $records.Count | Should -Be 1
        $record = Get-Content -Raw -LiteralPath $records[0].FullName | ConvertFrom-Json
        $record.Format | Should -Be 'VmmBackup.DrillRecord'
        $record.Results[0].Item | Should -Be 'Library'
        $record.Results[0].State | Should -Be 'Passed'
    }

    It 'fails when one byte of a stored file is flipped, and still removes the scratch folder' {
        $destination = New-LibraryBackup
        $object = Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File | Where-Object Length -EQ 300000 | Select-Object -First 1
        $bytes = [System.IO.File]::ReadAllBytes($object.FullName)
        $bytes[150000] = $bytes[150000] -bxor 1
        [System.IO.File]::WriteAllBytes($object.FullName, $bytes)
        $result = Invoke-VmmRestoreDrill -Path $destination -Item Library -ScratchPath $script:Scratch -Confirm:$false
        $result.State | Should -Be 'Failed'
        ($result.Evidence -join "`n") | Should -Match "VHDs/base.vhdx' was not restored"
        @(Get-ChildItem -LiteralPath $script:Scratch -Force).Count | Should -Be 0
    }

    It '-SampleBytes restores a random sample, says so, and a flipped byte in the sample fails it' {
        $destination = New-LibraryBackup
        $result = Invoke-VmmRestoreDrill -Path $destination -Item Library -ScratchPath $script:Scratch -SampleBytes 1 -Confirm:$false
        $result.State | Should -Be 'Passed'
        $result.Sampled | Should -BeTrue
        ($result.Evidence -join "`n") | Should -Match 'Restored a random sample of 1 of 3 files'
        $result.Bytes | Should -BeLessThan 300023

        # Flip a byte in every stored object: whatever the sample holds is damaged.
        foreach ($object in Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File) {
            $bytes = [System.IO.File]::ReadAllBytes($object.FullName)
            $bytes[0] = $bytes[0] -bxor 1
            [System.IO.File]::WriteAllBytes($object.FullName, $bytes)
        }
        $damaged = Invoke-VmmRestoreDrill -Path $destination -Item Library -ScratchPath $script:Scratch -SampleBytes 1 -Confirm:$false
        $damaged.State | Should -Be 'Failed'
        $damaged.Sampled | Should -BeTrue
        ($damaged.Evidence -join "`n") | Should -Match 'does not match its SHA-256 in the manifest'
        @(Get-ChildItem -LiteralPath $script:Scratch -Force).Count | Should -Be 0
    }

    It 'is Skipped when the backup holds no library set' {
        $result = Invoke-VmmRestoreDrill -Path (New-DatabaseFolder) -Item Library -Confirm:$false
        $result.State | Should -Be 'Skipped'
    }
}

Describe 'Invoke-VmmRestoreDrill -Item Registry, Inventory' {
    BeforeEach {
        Reset-VmmStub
        $settings = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'
        $script:Run = Join-Path $TestDrive ('vmm-' + [guid]::NewGuid().ToString('N') + '/20261205_020000')
        $null = New-Item -ItemType Directory -Path (Join-Path $script:Run 'registry'), (Join-Path $script:Run 'inventory') -Force
        $text = InModuleScope VmmBackup -Parameters @{ Settings = $settings } {
            param($Settings)
            ConvertTo-VmmRegFile -Key @(
                [pscustomobject]@{ Path = $Settings; Values = @([pscustomobject]@{ Name = 'IndigoTcpPort'; Kind = 'DWord'; Data = 8100 }, [pscustomobject]@{ Name = 'LibraryRefresh'; Kind = 'String'; Data = 'on' }) }
                [pscustomobject]@{ Path = $Settings + '\Sql'; Values = @([pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = 'VirtualManagerDB' }, [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = 'sql01' }) }
            )
        }
        [System.IO.File]::WriteAllText((Join-Path $script:Run 'registry/settings.reg'), $text, (New-Object System.Text.UnicodeEncoding($false, $true)))
        [ordered]@{
            schemaVersion = 1; takenAt = '2026-12-05T02:00:00Z'; vmmServer = 'vmm01'
            hosts = @(@{ name = 'hv01'; state = 'Responding'; cluster = $null; perimeter = $false }, @{ name = 'hv02'; state = 'Responding'; cluster = $null; perimeter = $false })
            clusters = @(); virtualMachines = @(@{ name = 'vm01'; host = 'hv01'; status = 'Running' }); libraryServers = @(); clouds = @(); templates = @(); runAsAccounts = @()
        } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $script:Run 'inventory/inventory.json') -Encoding utf8
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $settings; Values = @([pscustomobject]@{ Name = 'IndigoTcpPort'; Kind = 'DWord'; Data = [uint32]8100 }, [pscustomobject]@{ Name = 'LibraryRefresh'; Kind = 'String'; Data = 'off' }) }
            [pscustomobject]@{ Path = $settings + '\Sql'; Values = @([pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = 'VirtualManagerDB' }, [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = 'sql02' }) }
        }.GetNewClosure()
    }

    It 'parses the export and lists the differences with the live settings, the Sql subkey on its own' {
        $result = Invoke-VmmRestoreDrill -Path $script:Run -Item Registry -Confirm:$false
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Invoke-VmmRestoreDrill'
        $result.State | Should -Be 'Passed'
        $result.Evidence[0] | Should -BeExactly "'settings.reg' parses: 2 key(s), 4 value(s)."
        $result.Evidence | Should -Contain "Settings: 1 difference(s) with the live key: 'LibraryRefresh' differs (backup String:on, now String:off)"
        $result.Evidence | Should -Contain "Sql subkey: 1 difference(s); do not restore it unless it names the database VMM should use: 'Sql\MachineName' differs (backup String:sql01, now String:sql02)"
    }

    It 'fails on an export that does not parse' {
        [System.IO.File]::WriteAllText((Join-Path $script:Run 'registry/broken.reg'), "Windows Registry Editor Version 5.00`r`n`r`n[-HKEY_LOCAL_MACHINE\SOFTWARE\x]`r`n", (New-Object System.Text.UnicodeEncoding($false, $true)))
        $result = Invoke-VmmRestoreDrill -Path $script:Run -Item Registry -Confirm:$false
        $result.State | Should -Be 'Failed'
        ($result.Evidence -join "`n") | Should -Match "'broken.reg' cannot be restored"
    }

    It 'reads the inventory snapshot and compares it with VMM through Compare-VmmInventory' {
        Set-VmmStubBehavior Get-SCVMHost { New-TestHost 'hv01'; New-TestHost 'hv02' -State NotResponding }
        Set-VmmStubBehavior Get-SCVirtualMachine { New-TestVM 'vm01' 'hv01' }
        Mock -ModuleName VmmBackup Compare-VmmInventory { & (Get-Command -Module VmmBackup -Name Compare-VmmInventory -CommandType Function).ScriptBlock @PesterBoundParameters }
        $result = Invoke-VmmRestoreDrill -Path $script:Run -Item Inventory -Confirm:$false
        $result.State | Should -Be 'Passed'
        $result.Evidence[0] | Should -BeExactly "'inventory.json' reads: 2 host(s), 1 virtual machine(s)."
        $result.Evidence[1] | Should -BeExactly 'Compare-VmmInventory: 1 difference(s) a restore would resolve: Remove Host hv02'
        Should -Invoke -ModuleName VmmBackup Compare-VmmInventory -Times 1 -Exactly
    }

    It 'fails on a snapshot that does not read' {
        Set-Content -LiteralPath (Join-Path $script:Run 'inventory/inventory.json') -Value '{ "schemaVersion": 1 }'
        $result = Invoke-VmmRestoreDrill -Path $script:Run -Item Inventory -Confirm:$false
        $result.State | Should -Be 'Failed'
        ($result.Evidence -join "`n") | Should -Match "lacks the 'hosts' section"
    }
}

Describe 'The drill record, Test-VmmBackup and the report' {
    It 'Get-VmmBackupPlan lists the drill, weekly, after the backup set check' {
        $plan = @(Get-VmmBackupPlan)
        $drill = $plan | Where-Object Id -EQ 'check.restore-drill'
        $drill.Cmdlet | Should -Be 'Invoke-VmmRestoreDrill'
        $drill.Automated | Should -BeTrue
        $drill.MaxAgeHours | Should -Be 168
        $drill.Cadence | Should -Match '^Weekly'
        $drill.After | Should -Be @('check.backup-set')
        $drill.Order | Should -BeGreaterThan ($plan | Where-Object Id -EQ 'check.backup-set').Order
    }

    It 'Test-VmmBackup shows the last drill of each item' {
        $destination = New-LibraryBackup
        $before = @(Test-VmmBackup -Path $destination)
        $before[0].LastDrill | Should -BeNullOrEmpty
        $null = Invoke-VmmRestoreDrill -Path $destination -Item Library -Confirm:$false
        $after = @(Test-VmmBackup -Path $destination)
        $after[0].Item | Should -Be 'Library'
        Assert-VmmOutputSchema -InputObject $after[0] -CmdletName 'Test-VmmBackup'
        $after[0].LastDrill | Should -Match '^Passed \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: Share '
    }

    It 'writes a self-contained HTML report with every item, the values encoded' {
        $folder = New-DatabaseFolder
        $report = Join-Path $TestDrive 'drill <&>.html'
        $results = @(Invoke-VmmRestoreDrill -Path $folder -Report $report -Confirm:$false -InformationVariable info)
        $results.Count | Should -Be 4
        $html = Get-Content -Raw -LiteralPath $report
        foreach ($result in $results) { $html | Should -Match ('data-item="{0}" data-state="{1}"' -f $result.Item, $result.State) }
        $html | Should -Not -Match '<script|<link|src='
        $html | Should -Match 'section.step'
        "$info" | Should -Match 'Restore drill: 0 item\(s\) Passed, 0 Failed, 4 Skipped\.'
    }
}

Describe 'RestoreTestedWithinDays of the DSC resources' {
    BeforeAll {
        Import-Module (Join-Path $script:RepoRoot 'Pester/Dsc/DscHarness.psm1') -Force
        function Write-DrillRecord {
            param([string] $Root, [string] $Item, [string] $State, [datetime] $Ended)
            $folder = Join-Path $Root 'drills'
            $null = New-Item -ItemType Directory -Path $folder -Force
            $stamp = $Ended.ToUniversalTime().ToString('o')
            @{ Format = 'VmmBackup.DrillRecord'; Version = 1; Path = $Root; Set = $null; StartTime = $stamp; EndTime = $stamp
                Results = @(@{ Item = $Item; State = $State; Evidence = @("$State drill"); StartTime = $stamp; EndTime = $stamp })
            } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $folder ('drill-{0:yyyyMMdd_HHmmss}.json' -f $Ended.ToUniversalTime())) -Encoding utf8
        }
    }

    It 'makes Test() false until a drill of the item passed within the days, and Get() returns the days' {
        $destination = New-LibraryBackup
        $desired = @{ Destination = $destination; MaxAgeHours = 24; RestoreTestedWithinDays = 7 }
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property @{ Destination = $destination; MaxAgeHours = 24 } | Should -BeTrue
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeFalse
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property $desired
        $state.RestoreTestedWithinDays | Should -BeNullOrEmpty
        @($state.Reasons.Code) | Should -Be @('VmmLibraryBackup:VmmLibraryBackup:RestoreTestedWithinDays')
        $state.Reasons[0].Phrase | Should -Match 'never proven by a restore drill \(no drill of it was recorded\)'

        Write-DrillRecord -Root $destination -Item Library -State Passed -Ended (Get-Date).AddDays(-10)
        Write-DrillRecord -Root $destination -Item Library -State Failed -Ended (Get-Date).AddDays(-1)
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeFalse
        (Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property $desired).RestoreTestedWithinDays | Should -Be 11

        $null = Invoke-VmmRestoreDrill -Path $destination -Item Library -Confirm:$false
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property $desired
        $state.RestoreTestedWithinDays | Should -Be 1
        @($state.Reasons).Count | Should -Be 0
    }
}
