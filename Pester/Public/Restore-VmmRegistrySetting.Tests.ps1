<#
    Restore-VmmRegistrySetting: parses the .reg file and writes each key through the Write-VmmRegistryKey seam
    (mocked), importing the Sql subkey only when it names the database in use.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/VmmTestKit.psm1') -Force
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    $settings = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'


    function Write-TestRegFile([string] $File, [string[]] $Lines) {
        $text = (@('Windows Registry Editor Version 5.00', '') + $Lines + @('', '')) -join "`r`n"
        [System.IO.File]::WriteAllText($File, $text, (New-Object System.Text.UnicodeEncoding($false, $true)))
    }

    function Write-BackupFile([string] $File, [string] $Database = "Virtual]Manager;DB'") {
        Write-TestRegFile $File @(
            "[$settings]"
            '"IndigoTcpPort"=dword:00001fa4'
            ''
            "[$settings\Sql]"
            '"MachineName"="sql01"'
            '"InstanceName"="MSSQLSERVER"'
            ('"DatabaseName"="{0}"' -f $Database)
            ''
            "[$settings\User Data]"
            '"Blob"=hex:01,02,\'
            '  03'
        )
    }

    function Set-CurrentSql([string] $Machine, [string] $Instance, [string] $Database) {
        $script:currentSql = @(
            [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = $Machine }
            [pscustomobject]@{ Name = 'InstanceName'; Kind = 'String'; Data = $Instance }
            [pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = $Database }
        )
    }
}

AfterAll {
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'Restore-VmmRegistrySetting' {
    BeforeEach {
        Mock -ModuleName VmmBackup Write-VmmRegistryKey { }
        $script:currentSql = $null
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            if ($null -ne $script:currentSql) { [pscustomobject]@{ Path = $Path; Values = $script:currentSql } }
        }
    }

    It 'imports every key, the Sql subkey too when it matches the database in use' {
        Set-CurrentSql 'SQL01' '' "Virtual]Manager;DB'"
        $file = Join-Path $TestDrive "b'];.reg"
        Write-BackupFile $file
        $result = Restore-VmmRegistrySetting -Path $file -Confirm:$false

        $result.PSObject.TypeNames[0] | Should -Be 'VmmBackup.RegistryRestore'
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Restore-VmmRegistrySetting'
        $result.Path | Should -BeExactly $file
        $result.KeysImported | Should -Be 3
        $result.SqlSubkey | Should -Be 'Imported'
        @($result.Differences).Count | Should -Be 0
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 1 -Exactly -ParameterFilter {
            $Path -eq $settings -and $Value.Count -eq 1 -and $Value[0].Name -eq 'IndigoTcpPort' -and $Value[0].Kind -eq 'DWord' -and $Value[0].Data -eq 8100
        }
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 1 -Exactly -ParameterFilter {
            $Path -eq "$settings\User Data" -and $Value[0].Kind -eq 'Binary' -and (@($Value[0].Data) -join ',') -eq '1,2,3'
        }
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 1 -Exactly -ParameterFilter {
            $Path -eq "$settings\Sql" -and ($Value | Where-Object Name -EQ 'DatabaseName').Data -ceq "Virtual]Manager;DB'"
        }
    }

    It 'skips the Sql subkey that names another database, and reports which values differ' {
        Set-CurrentSql 'sql02' 'VMM' 'VirtualManagerDB'
        $file = Join-Path $TestDrive 'other.reg'
        Write-BackupFile $file
        $result = Restore-VmmRegistrySetting -Path $file -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.SqlSubkey | Should -Be 'Skipped'
        $result.KeysImported | Should -Be 2
        $result.Differences | Should -Be @(
            "MachineName: 'sql01' vs 'sql02'"
            "InstanceName: 'MSSQLSERVER' vs 'VMM'"
            "DatabaseName: 'Virtual]Manager;DB'' vs 'VirtualManagerDB'"
        )
        "$warnings" | Should -Match 'Sql subkey .* is not imported'
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 0 -ParameterFilter { $Path -like "$settings\Sql*" }
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 2 -Exactly
    }

    It 'compares with -SqlServer and -Database when given' {
        $file = Join-Path $TestDrive 'params.reg'
        Write-BackupFile $file -Database 'VMMDB'
        $match = Restore-VmmRegistrySetting -Path $file -SqlServer 'sql01,1433' -Database 'vmmdb' -Confirm:$false
        $match.SqlSubkey | Should -Be 'Imported'
        $other = Restore-VmmRegistrySetting -Path $file -SqlServer 'sql01\VMM' -Database "x'];" -Confirm:$false -WarningAction SilentlyContinue
        $other.SqlSubkey | Should -Be 'Skipped'
        $other.Differences | Should -Be @("InstanceName: 'MSSQLSERVER' vs 'VMM'", "DatabaseName: 'VMMDB' vs 'x''];'".Replace("''", "'"))
    }

    It 'skips the Sql subkey when the database in use is unknown' {
        $file = Join-Path $TestDrive 'unknown.reg'
        Write-BackupFile $file
        $result = Restore-VmmRegistrySetting -Path $file -Confirm:$false -WarningAction SilentlyContinue
        $result.SqlSubkey | Should -Be 'Skipped'
        @($result.Differences).Count | Should -Be 3
        $result.Differences[0] | Should -Match 'vs unknown'
    }

    It 'says Absent for a backup without the Sql subkey' {
        $file = Join-Path $TestDrive 'nosql.reg'
        Write-TestRegFile $file @("[$settings]", '"A"="b"')
        $result = Restore-VmmRegistrySetting -Path $file -Confirm:$false
        $result.SqlSubkey | Should -Be 'Absent'
        $result.KeysImported | Should -Be 1
    }

    It '-WhatIf writes nothing to the registry and returns nothing' {
        Set-CurrentSql 'sql01' '' "Virtual]Manager;DB'"
        $file = Join-Path $TestDrive 'whatif.reg'
        Write-BackupFile $file
        Restore-VmmRegistrySetting -Path $file -WhatIf | Should -BeNullOrEmpty
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 0
    }

    It 'is ConfirmImpact High' {
        (Get-Command Restore-VmmRegistrySetting).ScriptBlock.Attributes.Where({ $_ -is [System.Management.Automation.CmdletBindingAttribute] })[0].ConfirmImpact | Should -Be 'High'
    }

    It 'refuses a file holding keys outside the VMM settings key, before writing anything' {
        $file = Join-Path $TestDrive 'foreign.reg'
        Write-TestRegFile $file @("[$settings]", '"A"="b"', '', '[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run]', '"x"="evil.exe"')
        { Restore-VmmRegistrySetting -Path $file -Confirm:$false } | Should -Throw -ExpectedMessage "*holds the key 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run'*"
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 0
    }

    It 'refuses a missing file, a folder and a file that is not a .reg file' {
        { Restore-VmmRegistrySetting -Path (Join-Path $TestDrive "missing'];.reg") -Confirm:$false } | Should -Throw -ExpectedMessage '*does not exist or is not a file*'
        { Restore-VmmRegistrySetting -Path ([System.IO.Path]::GetPathRoot($TestDrive)) -Confirm:$false } | Should -Throw -ExpectedMessage '*does not exist or is not a file*'
        $bad = Join-Path $TestDrive 'bad.reg'
        Set-Content -LiteralPath $bad -Value 'hello'
        { Restore-VmmRegistrySetting -Path $bad -Confirm:$false } | Should -Throw -ExpectedMessage '*is not a registry file*'
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 0
    }

    It 'stops with a clear error when a registry write fails' {
        Mock -ModuleName VmmBackup Write-VmmRegistryKey { throw 'access denied' }
        $file = Join-Path $TestDrive 'fail.reg'
        Write-TestRegFile $file @("[$settings]", '"A"="b"')
        { Restore-VmmRegistrySetting -Path $file -Confirm:$false } | Should -Throw -ExpectedMessage "Cannot write the registry key '$settings' (0 keys imported before it): access denied"
    }

    It 'restores what Backup-VmmRegistrySetting wrote' {
        $tree = @(
            [pscustomobject]@{ Path = $settings; Values = @([pscustomobject]@{ Name = "n';]"; Kind = 'ExpandString'; Data = '%x%' }) }
        )
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { $tree }
        $backup = Backup-VmmRegistrySetting -Path (Join-Path $TestDrive 'rt.reg')
        $result = Restore-VmmRegistrySetting -Path $backup.Path -Confirm:$false
        $result.KeysImported | Should -Be 1
        Should -Invoke -ModuleName VmmBackup Write-VmmRegistryKey -Times 1 -Exactly -ParameterFilter {
            $Path -eq $settings -and $Value[0].Name -ceq "n';]" -and $Value[0].Kind -eq 'ExpandString' -and $Value[0].Data -ceq '%x%'
        }
    }
}
