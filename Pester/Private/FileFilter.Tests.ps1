<#
    The DSC helpers that find the newest backup in a folder take only files of the right extension. Windows
    PowerShell 5.1 matches Get-ChildItem -Filter against 8.3 short names too, so '*.bak' also returns files like
    'x.bakold' there (PowerShell 7 does not): Get-ChildItem is mocked to answer as 5.1 does on such a volume.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    $settingsKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'
}

AfterAll {
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'Get-VmmDscDatabaseBackup under 8.3 short-name matching' {
    It 'takes the newest .bak, not a newer file whose extension only starts with bak' {
        $folder = Join-Path $TestDrive "db [1];'x"
        $null = New-Item -ItemType Directory -Path $folder
        $good = Join-Path $folder 'VirtualManagerDB_20260101_000000.bak'
        [System.IO.File]::WriteAllBytes($good, [byte[]](84, 65, 80, 69, 0, 1, 2, 3))
        (Get-Item -LiteralPath $good).LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-3)
        # The verification record Backup-VmmDatabase writes after RESTORE VERIFYONLY: this file's name, size and hash.
        $record = [ordered]@{ File = 'VirtualManagerDB_20260101_000000.bak'; SizeBytes = 8; Sha256 = (Get-FileHash -LiteralPath $good -Algorithm SHA256).Hash.ToLowerInvariant(); Verified = $true; VerifiedAt = '2026-01-01T01:01:01.0000000Z'; Method = 'Sql'; SqlServer = 'sql01'; Database = 'VirtualManagerDB' }
        [System.IO.File]::WriteAllText($good + '.verify.json', (ConvertTo-Json -InputObject $record))
        $other = Join-Path $folder 'VirtualManagerDB_20260102_000000.bakold'
        [System.IO.File]::WriteAllText($other, 'not a backup')
        Mock -ModuleName VmmBackup Get-ChildItem { Get-Item -LiteralPath $good, $other } -ParameterFilter { $Filter -eq '*.bak' }

        $state = InModuleScope VmmBackup -Parameters @{ Folder = $folder } { param($Folder) Get-VmmDscDatabaseBackup -Path $Folder }
        Should -Invoke -ModuleName VmmBackup Get-ChildItem -Times 1 -Exactly
        $state.LatestBackup | Should -Be $good
        $state.Verified | Should -BeTrue
        $state.Database | Should -Be 'VirtualManagerDB'
    }
}

Describe 'Get-VmmDscRegistryBackup under 8.3 short-name matching' {
    It 'takes the newest .reg, not a newer file whose extension only starts with reg' {
        $folder = Join-Path $TestDrive "reg [1];'x"
        $null = New-Item -ItemType Directory -Path $folder
        $good = Join-Path $folder 'VmmSettings_20260101_000000.reg'
        $text = "Windows Registry Editor Version 5.00`r`n`r`n[$settingsKey]`r`n""IndigoTcpPort""=dword:00001fa4`r`n`r`n"
        [System.IO.File]::WriteAllText($good, $text, [System.Text.Encoding]::Unicode)
        (Get-Item -LiteralPath $good).LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-3)
        $other = Join-Path $folder 'VmmSettings_20260102_000000.regold'
        [System.IO.File]::WriteAllText($other, 'not a registry export')
        Mock -ModuleName VmmBackup Get-ChildItem { Get-Item -LiteralPath $good, $other } -ParameterFilter { $Filter -eq '*.reg' }

        $state = InModuleScope VmmBackup -Parameters @{ Folder = $folder; Key = $settingsKey } {
            param($Folder, $Key)
            Get-VmmDscRegistryBackup -Path $Folder -SettingsKey $Key -SqlSubkey 'Sql'
        }
        Should -Invoke -ModuleName VmmBackup Get-ChildItem -Times 1 -Exactly
        $state.LatestBackup | Should -Be $good
        $state.Verified | Should -BeTrue
    }
}
