<#
    Backup-VmmRegistrySetting: the VMM settings key read through the Read-VmmRegistryTree seam (mocked with a
    tree), written as a UTF-16LE .reg file regedit can import, byte for byte.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/VmmTestKit.psm1') -Force
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    $settings = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'

    $crlf = "`r`n"

    function New-TestTree {
        @(
            [pscustomobject]@{ Path = $settings; Values = @(
                    [pscustomobject]@{ Name = 'IndigoTcpPort'; Kind = 'DWord'; Data = 8100 }
                    [pscustomobject]@{ Name = 'LibraryPath'; Kind = 'String'; Data = "C:\Lib'];\""x" }
                )
            }
            [pscustomobject]@{ Path = "$settings\Sql"; Values = @(
                    [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = 'sql01' }
                    [pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = 'VirtualManagerDB' }
                )
            }
            [pscustomobject]@{ Path = "$settings\Sql\Extra"; Values = @() }
            [pscustomobject]@{ Path = "$settings\User Data"; Values = @(
                    [pscustomobject]@{ Name = 'Hosts'; Kind = 'MultiString'; Data = [string[]]@('h1') }
                )
            }
        )
    }
}

AfterAll {
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'Backup-VmmRegistrySetting' {
    BeforeEach {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { New-TestTree }
    }

    It 'writes the settings without the Sql subkey, byte for byte as regedit would (UTF-16LE, BOM, CRLF)' {
        $file = Join-Path $TestDrive "a';]\settings.reg"
        $result = Backup-VmmRegistrySetting -Path $file
        $expectedText = @(
            'Windows Registry Editor Version 5.00'
            ''
            "[$settings]"
            '"IndigoTcpPort"=dword:00001fa4'
            '"LibraryPath"="C:\\Lib''];\\\"x"'
            ''
            "[$settings\User Data]"
            '"Hosts"=hex(7):68,00,31,00,00,00,00,00'
            ''
            ''
        ) -join $crlf
        $expected = [byte[]](@(0xFF, 0xFE) + [System.Text.Encoding]::Unicode.GetBytes($expectedText))
        $actual = [System.IO.File]::ReadAllBytes($file)
        $actual.Length | Should -Be $expected.Length
        [System.Convert]::ToBase64String($actual) | Should -BeExactly ([System.Convert]::ToBase64String($expected))

        $result.PSObject.TypeNames[0] | Should -Be 'VmmBackup.RegistryBackup'
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Backup-VmmRegistrySetting'
        $result.Path | Should -BeExactly $file
        $result.KeyCount | Should -Be 2
        $result.ValueCount | Should -Be 3
        $result.IncludesSql | Should -BeFalse
        $result.Sha256 | Should -BeExactly ((Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant())
        $result.CreatedAt | Should -BeOfType [datetime]
        Should -Invoke -ModuleName VmmBackup Read-VmmRegistryTree -Times 1 -Exactly -ParameterFilter { $Path -eq $settings -and -not $NoRecurse }
    }

    It 'includes the Sql subkey and its subkeys with -IncludeSql' {
        $file = Join-Path $TestDrive 'with-sql.reg'
        $result = Backup-VmmRegistrySetting -Path $file -IncludeSql
        $result.KeyCount | Should -Be 4
        $result.IncludesSql | Should -BeTrue
        $text = [System.IO.File]::ReadAllText($file)
        $text | Should -Match ([regex]::Escape("[$settings\Sql]$crlf" + '"MachineName"="sql01"'))
        $text | Should -Match ([regex]::Escape("[$settings\Sql\Extra]"))
    }

    It 'names a timestamped file when given a folder, creating the folder' {
        $folder = Join-Path $TestDrive 'reg;folder'
        $result = Backup-VmmRegistrySetting -Path $folder
        $result.Path | Should -Match ('^' + [regex]::Escape($folder) + '[\\/]VmmSettings_\d{8}_\d{6}\.reg$')
        Test-Path -LiteralPath $result.Path | Should -BeTrue
        @(Get-ChildItem -LiteralPath $folder).Count | Should -Be 1
    }

    It '-WhatIf writes nothing' {
        $folder = Join-Path $TestDrive 'whatif'
        $result = Backup-VmmRegistrySetting -Path $folder -WhatIf
        $result | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'refuses a root directory' {
        $root = [System.IO.Path]::GetPathRoot($TestDrive)
        { Backup-VmmRegistrySetting -Path $root } | Should -Throw -ExpectedMessage '*root directory*'
        { Backup-VmmRegistrySetting -Path (Join-Path $root 'x.reg') } | Should -Throw -ExpectedMessage '*root directory*'
    }

    It 'refuses an existing file that is not a .reg file' {
        $file = Join-Path $TestDrive 'notes.txt'
        Set-Content -LiteralPath $file -Value 'x'
        { Backup-VmmRegistrySetting -Path $file } | Should -Throw -ExpectedMessage '*not a .reg file*'
    }

    It 'says so when the settings key does not exist, and writes nothing' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        $file = Join-Path $TestDrive 'none.reg'
        { Backup-VmmRegistrySetting -Path $file } | Should -Throw -ExpectedMessage '*does not exist on this computer*'
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'reports an unreadable registry clearly' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { throw 'access denied' }
        { Backup-VmmRegistrySetting -Path (Join-Path $TestDrive 'denied.reg') } | Should -Throw -ExpectedMessage 'Cannot read the VMM settings from the registry: access denied'
    }
}
