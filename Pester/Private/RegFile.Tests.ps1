<#
    The .reg writer (ConvertTo-VmmRegFile) and reader (Read-VmmRegFile),
    and the VMM database settings read from the registry (Get-VmmSqlSetting through the Read-VmmRegistryTree seam).
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    $crlf = "`r`n"
}

AfterAll {
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'ConvertTo-VmmRegFile' {
    It 'writes every registry type as regedit exports it' {
        $text = InModuleScope VmmBackup {
            $key = 'HKEY_LOCAL_MACHINE\SOFTWARE\Test'
            ConvertTo-VmmRegFile -Key @(
                [pscustomobject]@{ Path = $key; Values = @(
                        [pscustomobject]@{ Name = ''; Kind = 'String'; Data = 'default' }
                        [pscustomobject]@{ Name = 'Path "q"\x'; Kind = 'String'; Data = 'C:\Program Files\VMM "x"\' }
                        [pscustomobject]@{ Name = 'Port'; Kind = 'DWord'; Data = 8100 }
                        [pscustomobject]@{ Name = 'Neg'; Kind = 'DWord'; Data = -1 }
                        [pscustomobject]@{ Name = 'Big'; Kind = 'QWord'; Data = [uint64]0x0102030405060708 }
                        [pscustomobject]@{ Name = 'Expand'; Kind = 'ExpandString'; Data = '%A%\b' }
                        [pscustomobject]@{ Name = 'Multi'; Kind = 'MultiString'; Data = [string[]]@('a', 'b') }
                        [pscustomobject]@{ Name = 'Bin'; Kind = 'Binary'; Data = [byte[]]@(1, 2, 255) }
                        [pscustomobject]@{ Name = 'Nothing'; Kind = 'None'; Data = [byte[]]@() }
                        [pscustomobject]@{ Name = 'Lines'; Kind = 'String'; Data = "a`r`nb" }
                    )
                }
                [pscustomobject]@{ Path = "$key\Empty"; Values = @() }
            )
        }
        $expected = @(
            'Windows Registry Editor Version 5.00'
            ''
            '[HKEY_LOCAL_MACHINE\SOFTWARE\Test]'
            '@="default"'
            '"Path \"q\"\\x"="C:\\Program Files\\VMM \"x\"\\"'
            '"Port"=dword:00001fa4'
            '"Neg"=dword:ffffffff'
            '"Big"=hex(b):08,07,06,05,04,03,02,01'
            '"Expand"=hex(2):25,00,41,00,25,00,5c,00,62,00,00,00'
            '"Multi"=hex(7):61,00,00,00,62,00,00,00,00,00'
            '"Bin"=hex:01,02,ff'
            '"Nothing"=hex(0):'
            '"Lines"=hex(1):61,00,0d,00,0a,00,62,00,00,00'
            ''
            '[HKEY_LOCAL_MACHINE\SOFTWARE\Test\Empty]'
            ''
            ''
        ) -join $crlf
        $text | Should -BeExactly $expected
    }

    It 'wraps hex data like regedit: a continuation once a line reaches 77 characters, two-space indent' {
        $text = InModuleScope VmmBackup {
            ConvertTo-VmmRegFile -Key @([pscustomobject]@{ Path = 'HKEY_LOCAL_MACHINE\SOFTWARE\T'; Values = @(
                        [pscustomobject]@{ Name = 'ProductId'; Kind = 'Binary'; Data = [byte[]](0..59) }
                    )
                })
        }
        $lines = $text -split "`r`n"
        # "ProductId"=hex: is 16 characters: 21 bytes fit before the wrap (16 + 21*3 = 79, then "\"), as regedit writes.
        $hex = (0..59 | ForEach-Object { $_.ToString('x2') })
        $lines[3] | Should -BeExactly ('"ProductId"=hex:' + (($hex[0..20]) -join ',') + ',\')
        $lines[4] | Should -BeExactly ('  ' + (($hex[21..45]) -join ',') + ',\')
        $lines[5] | Should -BeExactly ('  ' + (($hex[46..59]) -join ','))
        $lines[6] | Should -BeExactly ''
        foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual 80 }
    }

    It 'refuses a value kind a .reg file cannot carry' {
        { InModuleScope VmmBackup { ConvertTo-VmmRegFile -Key @([pscustomobject]@{ Path = 'HKEY_LOCAL_MACHINE\T'; Values = @([pscustomobject]@{ Name = 'x'; Kind = 'Unknown'; Data = 1 }) }) } } |
            Should -Throw -ExpectedMessage "*kind a .reg file cannot carry*"
    }
}

Describe 'Read-VmmRegFile' {
    It 'reads back what ConvertTo-VmmRegFile writes, every type and every escape' {
        $file = Join-Path $TestDrive 'round.reg'
        $back = InModuleScope VmmBackup -Parameters @{ File = $file } {
            param($File)
            $keys = @(
                [pscustomobject]@{ Path = 'HKEY_LOCAL_MACHINE\SOFTWARE\T'; Values = @(
                        [pscustomobject]@{ Name = ''; Kind = 'String'; Data = 'd' }
                        [pscustomobject]@{ Name = 'a"b\c;]'''; Kind = 'String'; Data = 'x\"y";''' }
                        [pscustomobject]@{ Name = 'Lines'; Kind = 'String'; Data = "1`n2" }
                        [pscustomobject]@{ Name = 'D'; Kind = 'DWord'; Data = [uint32]4294967295 }
                        [pscustomobject]@{ Name = 'Q'; Kind = 'QWord'; Data = [uint64]18446744073709551615 }
                        [pscustomobject]@{ Name = 'E'; Kind = 'ExpandString'; Data = '%SystemRoot%\x' }
                        [pscustomobject]@{ Name = 'M'; Kind = 'MultiString'; Data = [string[]]@('one', 'two', 'three') }
                        [pscustomobject]@{ Name = 'B'; Kind = 'Binary'; Data = [byte[]](0..200) }
                        [pscustomobject]@{ Name = 'N'; Kind = 'None'; Data = [byte[]]@(7) }
                    )
                }
                [pscustomobject]@{ Path = 'HKEY_LOCAL_MACHINE\SOFTWARE\T\Sub [1]'; Values = @() }
            )
            [System.IO.File]::WriteAllText($File, (ConvertTo-VmmRegFile -Key $keys), (New-Object System.Text.UnicodeEncoding($false, $true)))
            Read-VmmRegFile -Path $File
        }
        $back.Count | Should -Be 2
        $back[0].Path | Should -BeExactly 'HKEY_LOCAL_MACHINE\SOFTWARE\T'
        $back[1].Path | Should -BeExactly 'HKEY_LOCAL_MACHINE\SOFTWARE\T\Sub [1]'
        $v = @{}
        foreach ($value in $back[0].Values) { $v[$value.Name] = $value }
        $v[''].Data | Should -BeExactly 'd'
        $v['a"b\c;]'''].Data | Should -BeExactly 'x\"y";'''
        $v['Lines'].Kind | Should -Be 'String'
        $v['Lines'].Data | Should -BeExactly "1`n2"
        $v['D'].Data | Should -Be ([uint32]4294967295)
        $v['Q'].Data | Should -Be ([uint64]18446744073709551615)
        $v['E'].Kind | Should -Be 'ExpandString'
        $v['E'].Data | Should -BeExactly '%SystemRoot%\x'
        $v['M'].Data | Should -Be @('one', 'two', 'three')
        $v['B'].Data | Should -Be ([byte[]](0..200))
        $v['N'].Kind | Should -Be 'None'
        $v['N'].Data | Should -Be ([byte[]]@(7))
    }

    It 'refuses a file without the regedit header' {
        $file = Join-Path $TestDrive 'bad.reg'
        Set-Content -Path $file -Value '[HKEY_LOCAL_MACHINE\SOFTWARE\T]'
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmRegFile -Path $File } } |
            Should -Throw -ExpectedMessage '*is not a registry file*'
    }

    It 'refuses key and value deletions (it imports only)' {
        $file = Join-Path $TestDrive 'delete.reg'
        Set-Content -Path $file -Value @('Windows Registry Editor Version 5.00', '', '[-HKEY_LOCAL_MACHINE\SOFTWARE\T]')
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmRegFile -Path $File } } |
            Should -Throw -ExpectedMessage '*deletes the key*'
        Set-Content -Path $file -Value @('Windows Registry Editor Version 5.00', '', '[HKEY_LOCAL_MACHINE\SOFTWARE\T]', '"x"=-')
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmRegFile -Path $File } } |
            Should -Throw -ExpectedMessage '*deletes the value*'
    }

    It 'reads a UTF-8 file with comments and names the line of a bad value' {
        $file = Join-Path $TestDrive 'utf8.reg'
        Set-Content -Path $file -Encoding utf8 -Value @('Windows Registry Editor Version 5.00', '; comment', '[HKEY_LOCAL_MACHINE\SOFTWARE\T]', '"a"=dword:0000000A', '"b"=oops')
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmRegFile -Path $File } } |
            Should -Throw -ExpectedMessage 'Line 5 of*'
    }
}

Describe 'Get-VmmSqlSetting' {
    It 'reads server\instance and database from the Sql subkey through Read-VmmRegistryTree' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $Path; Values = @(
                    [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = "sql'01" }
                    [pscustomobject]@{ Name = 'InstanceName'; Kind = 'String'; Data = 'VMM];' }
                    [pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = 'Virtual]Manager;DB' }
                )
            }
        }
        $setting = InModuleScope VmmBackup { Get-VmmSqlSetting }
        $setting.SqlServer | Should -BeExactly "sql'01\VMM];"
        $setting.Database | Should -BeExactly 'Virtual]Manager;DB'
        Should -Invoke -ModuleName VmmBackup Read-VmmRegistryTree -Times 1 -Exactly -ParameterFilter {
            $Path -eq 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings\Sql' -and $NoRecurse
        }
    }

    It 'leaves out the default instance name and returns $null without a Sql subkey' {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree {
            [pscustomobject]@{ Path = $Path; Values = @(
                    [pscustomobject]@{ Name = 'MachineName'; Kind = 'String'; Data = 'sql01' }
                    [pscustomobject]@{ Name = 'InstanceName'; Kind = 'String'; Data = 'MSSQLSERVER' }
                    [pscustomobject]@{ Name = 'DatabaseName'; Kind = 'String'; Data = 'VirtualManagerDB' }
                )
            }
        }
        (InModuleScope VmmBackup { Get-VmmSqlSetting }).SqlServer | Should -BeExactly 'sql01'
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { }
        InModuleScope VmmBackup { Get-VmmSqlSetting } | Should -BeNullOrEmpty
    }

    It 'reads nothing for a missing key on Windows, and says the registry is Windows-only elsewhere' {
        $missing = 'HKLM\SOFTWARE\VmmBackup-Tests-No-Such-Key'
        if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
            InModuleScope VmmBackup -Parameters @{ Key = $missing } { param($Key) Read-VmmRegistryTree -Path $Key } | Should -BeNullOrEmpty
        } else {
            { InModuleScope VmmBackup -Parameters @{ Key = $missing } { param($Key) Read-VmmRegistryTree -Path $Key } } | Should -Throw -ExpectedMessage '*only on Windows*'
        }
    }
}
