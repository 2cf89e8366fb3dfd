BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $script:setupKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Administrator Console\Setup'
    $script:secret = 'Hunter2-Secr3t!'

    # What cmdkey.exe /list writes on an English Windows (indented blocks, trailing blanks after the type),
    # with odd target and user names, and one password-like line cmdkey itself would never write.
    $script:englishList = @(
        ''
        'Currently stored credentials:'
        ''
        '    Target: Domain:target=vmmlib01.contoso.test'
        '    Type: Domain Password'
        '    User: CONTOSO\svc-vmmlib'
        ''
        "    Target: LegacyGeneric:target=O'Brien's share];backup"
        '    Type: Generic '
        "    User: CONTOSO\o'brien;ops]"
        "    Password: $script:secret"
        '    Local machine persistence'
        '    '
        '    Target: Domain:interactive=vmmhost02.contoso.test'
        '    Type: Domain Password'
        '    Saved for this logon only'
        ''
    )
    $script:germanList = @(
        ''
        'Derzeit gespeicherte Anmeldeinformationen:'
        ''
        '    Ziel: Domain:target=vmmlib01.contoso.test'
        '    Typ: Domänenkennwort'
        '    Benutzer: CONTOSO\svc-vmmlib'
        "    Kennwort: $script:secret"
        ''
    )

    function Get-ExpectedInstruction([string] $Id) {
        $procedure = InModuleScope VmmBackup -Parameters @{ Id = $Id } { param($Id) (Get-VmmProcedureData).Procedures | Where-Object Id -EQ $Id }
        $steps = @($procedure.Instructions | Where-Object { $_ -notmatch 'Get-VmmLocalInventory' })
        $numbered = for ($i = 0; $i -lt $steps.Count; $i++) { '{0}. {1}' -f ($i + 1), $steps[$i] }
        $numbered -join ' '
    }

    function New-ConsoleInstall([string] $Root, [string[]] $AddIn) {
        # A console installation folder with the add-in folders (and a stray file that is no add-in).
        $addIns = [System.IO.Path]::Combine($Root, 'bin', 'AddInPipeline', 'AddIns')
        [void][System.IO.Directory]::CreateDirectory($addIns)
        foreach ($name in $AddIn) {
            $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($addIns, $name))
            [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder.FullName, 'manifest.xml'), '<ConsoleAddIn />')
        }
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($addIns, 'readme.txt'), 'not an add-in')
        $addIns
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmLocalInventory' {
    Context 'credentials' {
        It 'lists each credential cmdkey reports with target, type and user, and the backup.credentials checklist' {
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { $script:englishList }
            Mock -ModuleName VmmBackup Read-VmmRegistryTree { throw 'must not be read for -Kind Credential' }
            $items = @(Get-VmmLocalInventory -Kind Credential -WarningVariable warnings)
            $items.Count | Should -Be 3
            foreach ($item in $items) { { Assert-VmmOutputSchema $item 'Get-VmmLocalInventory' } | Should -Not -Throw }
            $items.Kind | Sort-Object -Unique | Should -Be 'Credential'
            $items[0].Name | Should -BeExactly 'Domain:target=vmmlib01.contoso.test'
            $items[0].Type | Should -BeExactly 'Domain Password'
            $items[0].Detail | Should -BeExactly 'CONTOSO\svc-vmmlib'
            $items[1].Name | Should -BeExactly "LegacyGeneric:target=O'Brien's share];backup"
            $items[1].Type | Should -BeExactly 'Generic'
            $items[1].Detail | Should -BeExactly "CONTOSO\o'brien;ops]"
            $items[2].Name | Should -BeExactly 'Domain:interactive=vmmhost02.contoso.test'
            $items[2].Detail | Should -BeNullOrEmpty
            @($items | Where-Object { -not $_.Parsed }) | Should -BeNullOrEmpty
            $expected = Get-ExpectedInstruction 'backup.credentials'
            $expected | Should -Match '^1\. On the VMM management server.*2\. Click Back up Credentials'
            foreach ($item in $items) { $item.Instruction | Should -BeExactly $expected }
            $warnings | Should -BeNullOrEmpty
            Should -Invoke -ModuleName VmmBackup Get-VmmStoredCredentialList -Times 1 -Exactly
            Should -Invoke -ModuleName VmmBackup Read-VmmRegistryTree -Times 0 -Exactly
        }

        It 'never returns a secret, whatever cmdkey writes' -ForEach @(
            @{ Language = 'English'; Lines = 'englishList' }
            @{ Language = 'German'; Lines = 'germanList' }
        ) {
            $script:lines = Get-Variable -Scope Script -Name $Lines -ValueOnly
            ($script:lines -join "`n") | Should -Match ([regex]::Escape($script:secret))
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { $script:lines }
            $items = @(Get-VmmLocalInventory -Kind Credential -WarningAction SilentlyContinue -Verbose 4>&1)
            $items.Count | Should -BeGreaterThan 0
            $text = ($items | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $_.Message } else { $_ | ConvertTo-Json -Compress } }) -join "`n"
            $text | Should -Not -Match ([regex]::Escape($script:secret))
            $text | Should -Not -Match 'Password:|Kennwort:'
        }

        It 'returns the lines of a localized cmdkey as is, flagged unparsed, with a warning' {
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { $script:germanList }
            $items = @(Get-VmmLocalInventory -Kind Credential -WarningVariable warnings -WarningAction SilentlyContinue)
            $items.Name | Should -Be @(
                'Derzeit gespeicherte Anmeldeinformationen:'
                'Ziel: Domain:target=vmmlib01.contoso.test'
                'Typ: Domänenkennwort'
                'Benutzer: CONTOSO\svc-vmmlib'
            )
            foreach ($item in $items) {
                $item.Parsed | Should -BeFalse
                $item.Type | Should -BeNullOrEmpty
                $item.Detail | Should -BeNullOrEmpty
                { Assert-VmmOutputSchema $item 'Get-VmmLocalInventory' } | Should -Not -Throw
            }
            "$warnings" | Should -Match 'does not read.*Parsed = False'
        }

        It 'lists nothing and warns nothing when cmdkey reports no credential' {
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { @('', 'Currently stored credentials:', '', '* NONE *', '') }
            $all = @(Get-VmmLocalInventory -Kind Credential -WarningVariable warnings 2>&1)
            $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $items = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            $items | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
            $errors | Should -BeNullOrEmpty
        }

        It 'writes a clear error, lists no credential, and still lists the add-ins when cmdkey is missing' {
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { throw 'Cannot list the credentials of Windows Credential Manager: cmdkey.exe was not found.' }
            $root = Join-Path $TestDrive 'console-a'
            $null = New-ConsoleInstall -Root $root -AddIn 'Contoso'
            $script:root = $root
            Mock -ModuleName VmmBackup Read-VmmRegistryTree { [pscustomobject]@{ Path = $Path; Values = @([pscustomobject]@{ Name = 'InstallPath'; Kind = 'String'; Data = $script:root }) } }
            $all = @(Get-VmmLocalInventory -ErrorAction Continue 2>&1)
            $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $items = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            @($items | Where-Object Kind -EQ 'Credential') | Should -BeNullOrEmpty
            @($items | Where-Object Kind -EQ 'ConsoleAddIn').Name | Should -Be 'Contoso'
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'VmmBackup.CredentialListUnavailable*'
            "$($errors[0])" | Should -Match 'No credential is listed: .*cmdkey.exe was not found'
        }

        It 'the seam refuses clearly off Windows and reads cmdkey on Windows' {
            if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
                $lines = @(InModuleScope VmmBackup { Get-VmmStoredCredentialList })
                ($lines -join "`n") | Should -Match '\S'
            } else {
                { InModuleScope VmmBackup { Get-VmmStoredCredentialList } } | Should -Throw '*cmdkey.exe exists only on Windows*'
                $all = @(Get-VmmLocalInventory -Kind Credential -ErrorAction Continue 2>&1)
                $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
                $errors.Count | Should -Be 1
                "$errors" | Should -Match 'No credential is listed: .*only on Windows'
            }
        }
    }

    Context 'console add-ins' {
        It 'lists the add-in folders of the console named by the registry, with the backup.ui-addins checklist' {
            $root = Join-Path $TestDrive "VMM Console's [2016];"
            $addIns = New-ConsoleInstall -Root $root -AddIn @("Fabrikam]Tools;v2", "Contoso's Add-In")
            $script:root = $root
            Mock -ModuleName VmmBackup Read-VmmRegistryTree {
                [pscustomobject]@{ Path = $Path; Values = @(
                        [pscustomobject]@{ Name = 'ProductVersion'; Kind = 'String'; Data = '4.0.1662.0' }
                        [pscustomobject]@{ Name = 'InstallPath'; Kind = 'String'; Data = $script:root }
                    ) }
            }
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { throw 'must not run for -Kind ConsoleAddIn' }
            $items = @(Get-VmmLocalInventory -Kind ConsoleAddIn -WarningVariable warnings)
            $items.Name | Should -Be @("Contoso's Add-In", 'Fabrikam]Tools;v2')
            $items[0].Detail | Should -BeExactly ([System.IO.Path]::Combine($addIns, "Contoso's Add-In"))
            $items[1].Detail | Should -BeExactly ([System.IO.Path]::Combine($addIns, 'Fabrikam]Tools;v2'))
            $expected = Get-ExpectedInstruction 'backup.ui-addins'
            $expected | Should -Match "^1\. For each add-in.*vendor's backup guidelines"
            foreach ($item in $items) {
                $item.Kind | Should -Be 'ConsoleAddIn'
                $item.Type | Should -BeNullOrEmpty
                $item.Parsed | Should -BeTrue
                $item.Instruction | Should -BeExactly $expected
                { Assert-VmmOutputSchema $item 'Get-VmmLocalInventory' } | Should -Not -Throw
            }
            $warnings | Should -BeNullOrEmpty
            Should -Invoke -ModuleName VmmBackup Read-VmmRegistryTree -Times 1 -Exactly -ParameterFilter { $Path -eq $script:setupKey -and $NoRecurse }
            Should -Invoke -ModuleName VmmBackup Get-VmmStoredCredentialList -Times 0 -Exactly
        }

        It 'lists no add-in, without a warning, when no add-in was ever imported' {
            $script:root = Join-Path $TestDrive 'console-empty'
            [void][System.IO.Directory]::CreateDirectory($script:root)
            Mock -ModuleName VmmBackup Read-VmmRegistryTree { [pscustomobject]@{ Path = $Path; Values = @([pscustomobject]@{ Name = 'InstallPath'; Kind = 'String'; Data = $script:root }) } }
            $items = @(Get-VmmLocalInventory -Kind ConsoleAddIn -WarningVariable warnings)
            $items | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
        }

        It 'lists no add-in and warns when <Case>' -ForEach @(
            @{ Case = 'the console setup key is absent'; Mode = 'NoKey'; Pattern = 'not installed on this computer.*InstallPath' }
            @{ Case = 'InstallPath is empty'; Mode = 'Empty'; Pattern = 'not installed on this computer' }
            @{ Case = 'the installation folder is missing'; Mode = 'Missing'; Pattern = "installation folder '.*gone' .*does not exist" }
            @{ Case = 'the registry cannot be read'; Mode = 'Throw'; Pattern = 'registry exists only on Windows' }
        ) {
            $script:mode = $Mode
            $script:missing = Join-Path $TestDrive 'gone'
            Mock -ModuleName VmmBackup Read-VmmRegistryTree {
                switch ($script:mode) {
                    'NoKey' { }
                    'Empty' { [pscustomobject]@{ Path = $Path; Values = @([pscustomobject]@{ Name = 'InstallPath'; Kind = 'String'; Data = '' }) } }
                    'Missing' { [pscustomobject]@{ Path = $Path; Values = @([pscustomobject]@{ Name = 'InstallPath'; Kind = 'String'; Data = $script:missing }) } }
                    'Throw' { throw "Cannot read the registry key '$Path': the registry exists only on Windows." }
                }
            }
            Mock -ModuleName VmmBackup Get-VmmStoredCredentialList { @('Currently stored credentials:', '', '    Target: Domain:target=a', '    Type: Domain Password', '    User: b') }
            $all = @(Get-VmmLocalInventory -WarningVariable warnings -WarningAction SilentlyContinue 2>&1)
            $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $items = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            @($items | Where-Object Kind -EQ 'ConsoleAddIn') | Should -BeNullOrEmpty
            @($items | Where-Object Kind -EQ 'Credential').Name | Should -Be 'Domain:target=a'
            $warnings.Count | Should -Be 1
            "$warnings" | Should -Match "^No VMM console add-in is listed: .*$Pattern"
            $errors | Should -BeNullOrEmpty
        }
    }

    It 'refuses an unknown -Kind' {
        { Get-VmmLocalInventory -Kind Password } | Should -Throw '*Password*'
    }
}
