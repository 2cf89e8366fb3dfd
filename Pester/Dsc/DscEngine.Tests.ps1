# How the resources behave for an engine: discovery, property checks, clear errors, mocking seams, and the
# PowerShell DSC example configuration.
BeforeAll {
    $script:Repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:ModuleRoot = Join-Path $script:Repo 'generated/VmmBackup'
    Import-Module (Join-Path $script:ModuleRoot 'VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    Import-Module (Join-Path $script:Repo 'Pester/Support/Compatibility.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')
    $script:Folder = Join-Path $TestDrive 'registry'
    $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'VmmSettings_1.reg')
}

Describe 'Discovery' {
    It 'exports every class-based resource from the root module, as listed in DscResourcesToExport' {
        $manifest = Import-PowerShellDataFile -Path (Join-Path $script:ModuleRoot 'VmmBackup.psd1')
        $manifest.DscResourcesToExport | Should -Be @('VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan')
        @((Get-Module VmmBackup).ExportedDscResources | Sort-Object) | Should -Be @($manifest.DscResourcesToExport | Sort-Object)
    }

    It 'holds every class, base and Reasons class included, in the root module, parsing without error' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $script:ModuleRoot 'VmmBackup.psm1'), [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $classes = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.TypeDefinitionAst] }, $true)
        @($classes.Name) | Should -Be @('VmmReason', 'VmmResourceBase', 'VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan')
        $resources = @($classes | Where-Object { $_.Attributes.TypeName.Name -contains 'DscResource' })
        @($resources.Name) | Should -Be @('VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan')
        foreach ($resource in $resources) {
            $resource.BaseTypes.TypeName.Name | Should -Be 'VmmResourceBase'
        }
    }

    It 'uses nothing Windows PowerShell 5.1 lacks in the root module, its helpers or the example' {
        $files = @(Join-Path $script:ModuleRoot 'VmmBackup.psm1') + @(Get-ChildItem (Join-Path $script:ModuleRoot 'Private') -Filter '*VmmDsc*.ps1' | ForEach-Object FullName)
        @(Find-UnsupportedSyntax -Path $files) | Should -BeNullOrEmpty
    }

    It 'declares value-type properties nullable and a Reasons property of VmmReason with exactly Code and Phrase' {
        $type = & (Get-Module VmmBackup) { [VmmDatabaseBackup] }
        $type.GetProperty('MaxAgeHours').PropertyType | Should -Be ([Nullable[int]])
        $type.GetProperty('CopyOnly').PropertyType | Should -Be ([Nullable[bool]])
        $type.GetProperty('LatestBackupTime').PropertyType | Should -Be ([Nullable[datetime]])
        $reasons = $type.GetProperty('Reasons')
        $reasons.PropertyType.Name | Should -Be 'VmmReason[]'
        ($reasons.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $true)[0]).NotConfigurable | Should -BeTrue
        @($reasons.PropertyType.GetElementType().GetProperties().Name | Sort-Object) | Should -Be @('Code', 'Phrase')
    }
}

Describe 'Get output and the DSC v3 schemas' {
    It 'Get() of <Name> returns, as JSON, an instance valid for the schema embedded in its adapted resource manifest' -ForEach @(
        @{ Name = 'VmmRegistryBackup'; Key = 'Path'; Good = $true }
        @{ Name = 'VmmRegistryBackup'; Key = 'Path'; Good = $false }
        @{ Name = 'VmmDatabaseBackup'; Key = 'Path'; Good = $false }
        @{ Name = 'VmmLibraryBackup'; Key = 'Destination'; Good = $false }
        @{ Name = 'VmmBackupPlan'; Key = 'Destination'; Good = $true }
    ) {
        $manifest = Get-Content -Raw -Path (Join-Path $script:ModuleRoot "$Name.dsc.adaptedResource.json") | ConvertFrom-Json
        $schema = $manifest.schema.embedded | ConvertTo-Json -Depth 20
        $folder = Join-Path $TestDrive 'empty'
        if ($Good) { $folder = $script:Folder }
        $state = Invoke-VmmDscResource -Name $Name -Method Get -Property @{ $Key = $folder }
        $json = $state | ConvertTo-Json -Depth 5
        Test-Json -Json $json -Schema $schema | Should -BeTrue
        @($state.PSObject.Properties.Name | Sort-Object) | Should -Be @($manifest.schema.embedded.properties.PSObject.Properties.Name | Sort-Object)
        Test-Json -Json '{"Unknown": 1}' -Schema $schema -ErrorAction SilentlyContinue | Should -BeFalse
    }
}

Describe 'Property checks and errors' {
    It 'refuses <Case> with a clear error' -ForEach @(
        @{ Case = 'a property the class lacks'; Property = @{ Path = '/srv/x'; Foo = 1 }; Message = "*has no property 'Foo'. Its properties are: IncludeSql, MaxAgeHours, Path, RestoreTestedWithinDays." }
        @{ Case = 'a string for an integer'; Property = @{ Path = '/srv/x'; MaxAgeHours = '24' }; Message = "*VmmRegistryBackup: the property MaxAgeHours must be a whole number; it was given '24' (String)." }
        @{ Case = 'a fraction for an integer'; Property = @{ Path = '/srv/x'; MaxAgeHours = 1.5 }; Message = "*VmmRegistryBackup: the property MaxAgeHours must be a whole number; it was given '1.5' (Double)." }
        @{ Case = 'the string false for a boolean (PowerShell would make it $true)'; Property = @{ Path = '/srv/x'; IncludeSql = 'false' }; Message = "*VmmRegistryBackup: the property IncludeSql must be true or false (a boolean, not a string or a number); it was given 'false' (String)." }
        @{ Case = 'a number for a boolean'; Property = @{ Path = '/srv/x'; IncludeSql = 0 }; Message = "*the property IncludeSql must be true or false*given '0' (Int32)." }
        @{ Case = 'a number for the key path (PowerShell would make it a relative folder)'; Property = @{ Path = 5 }; Message = "*VmmRegistryBackup: the property Path must be a string; it was given '5' (Int32)." }
        @{ Case = 'an array for the key path (PowerShell would join it into one path)'; Property = @{ Path = @('/srv/a', '/srv/b') }; Message = '*VmmRegistryBackup: the property Path must be a string; it was given an array.' }
        @{ Case = 'a relative key path'; Property = @{ Path = 'rel' }; Message = "*VmmRegistryBackup: Path 'rel' is not an absolute path; a relative path would resolve against the folder the DSC engine happens to run in*" }
        @{ Case = 'a drive-relative key path'; Property = @{ Path = 'C:rel' }; Message = "*Path 'C:rel' is not an absolute path*" }
        @{ Case = 'the read-only Reasons'; Property = @{ Path = '/srv/x'; Reasons = @() }; Message = "*'Reasons' of VmmRegistryBackup is read-only*" }
        @{ Case = 'a missing key'; Property = @{ MaxAgeHours = 24 }; Message = '*VmmRegistryBackup: the property Path is required*' }
        @{ Case = 'MaxAgeHours out of range'; Property = @{ Path = '/srv/x'; MaxAgeHours = 0 }; Message = '*VmmRegistryBackup: MaxAgeHours is 0; it must be from 1 to 8760.' }
        @{ Case = 'a root directory'; Property = @{ Path = '/' }; Message = "*VmmRegistryBackup: The backup folder '/' is a root directory*" }
    ) {
        { Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property $Property } | Should -Throw -ExpectedMessage $Message
    }

    It 'refuses a value outside the allowed set' {
        { Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = '/srv/x'; Method = 'Fast' } } |
            Should -Throw -ExpectedMessage "*VmmDatabaseBackup: Method is 'Fast'; it must be one of Auto, Vmm, Sql."
    }

    It 'declares Method with ValidateSet (the ValueMap of the MOF schema)' {
        $type = & (Get-Module VmmBackup) { [VmmDatabaseBackup] }
        $set = $type.GetProperty('Method').GetCustomAttributes([System.Management.Automation.ValidateSetAttribute], $true) | Select-Object -First 1
        @($set.ValidValues) | Should -Be @('Auto', 'Vmm', 'Sql')
    }

    It 'refuses a string array holding a number' {
        { Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = '/srv/x'; Path = @('\\a\b', 3) } } |
            Should -Throw -ExpectedMessage "*VmmLibraryBackup: the property Path must be an array of strings*"
    }

    It 'refuses a string for the SqlCredential, without echoing it' {
        { Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = '/srv/x'; SqlCredential = 'sa:Secret1!' } } |
            Should -Throw -ExpectedMessage '*the property SqlCredential must be a credential (PSCredential; in JSON an object with username and password); it was given a value of type String.'
    }

    It 'refuses JSON that is not an object, and names an unknown resource' {
        { Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Json '[1,2]' } | Should -Throw -ExpectedMessage '*must be a JSON object*'
        { Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Json '{"Path":' } | Should -Throw -ExpectedMessage '*not valid JSON*'
        { Invoke-VmmDscResource -Name VmmNothing -Method Get -Property @{} } | Should -Throw -ExpectedMessage "*does not export a DSC resource named 'VmmNothing'*VmmDatabaseBackup, VmmRegistryBackup, VmmLibraryBackup, VmmBackupPlan."
    }

    It 'takes JSON null as an unmanaged property, and JSON integers and booleans' {
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Json ('{"Path": ' + (ConvertTo-Json $script:Folder) + ', "MaxAgeHours": null, "IncludeSql": false}') | Should -BeTrue
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Json ('{"Path": ' + (ConvertTo-Json $script:Folder) + ', "MaxAgeHours": 2}') | Should -BeTrue
    }

    It 'keeps a path with quotes, brackets and semicolons as data' {
        $odd = Join-Path $TestDrive "it's [odd]; `$(x)"
        $null = New-TestRegistryExport -Path (Join-Path $odd 'VmmSettings_1.reg')
        $state = Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $odd; MaxAgeHours = 24 }
        $state.Verified | Should -BeTrue
        $state.LatestBackup | Should -Be (Join-Path $odd 'VmmSettings_1.reg')
    }
}

Describe 'Mocking from class methods (same runspace)' {
    # Class methods bind to the module's session state; Pester's module-scoped mocks apply there.
    It 'a mock of the cmdlet Set() runs is used by the class (and Set() fails, since the mock wrote no backup)' {
        Mock -ModuleName VmmBackup Backup-VmmRegistrySetting { }
        $resource = & (Get-Module VmmBackup) { [VmmRegistryBackup]::new() }
        $resource.Path = Join-Path $TestDrive 'empty-registry'
        $resource.IncludeSql = $true
        { $resource.Set() } | Should -Throw -ExpectedMessage '*VmmRegistryBackup: Backup-VmmRegistrySetting ran, but the desired state was not reached: Missing: *'
        Should -Invoke -ModuleName VmmBackup Backup-VmmRegistrySetting -Times 1 -Exactly -ParameterFilter { $Path -eq (Join-Path $TestDrive 'empty-registry') -and $IncludeSql }
    }

    It 'a mock of the Invoke-VmmDscCommand seam is used by the class (and Set() fails, since the mock wrote no backup)' {
        Mock -ModuleName VmmBackup Invoke-VmmDscCommand { }
        $resource = & (Get-Module VmmBackup) { [VmmDatabaseBackup]::new() }
        $resource.Path = Join-Path $TestDrive 'empty-database'
        $resource.RetainDays = 7
        { $resource.Set() } | Should -Throw -ExpectedMessage '*VmmDatabaseBackup: Backup-VmmDatabase ran, but the desired state was not reached: *'
        Should -Invoke -ModuleName VmmBackup Invoke-VmmDscCommand -Times 1 -Exactly -ParameterFilter { $Name -eq 'Backup-VmmDatabase' -and $Parameters.RetainDays -eq 7 }
    }
}

Describe 'PowerShell DSC example configuration' {
    BeforeAll {
        $script:ExamplePath = Join-Path $script:ModuleRoot 'Examples/VmmBackupConfiguration.ps1'
        $script:ExampleText = Get-Content -Raw -Path $script:ExamplePath
    }

    It 'parses with only Windows PowerShell 5.1 syntax' {
        # The Configuration keyword needs the DSC schema store to be parsed, which PowerShell on Linux lacks;
        # with that one keyword read as a function, the rest must parse and use nothing 5.1 lacks.
        $script:ExampleText | Should -Match '(?m)^Configuration VmmBackupConfiguration\r?$'
        $text = $script:ExampleText -replace '(?m)^Configuration ', 'function '
        $tokens = $null; $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        @(Find-UnsupportedSyntax -ScriptDefinition $text) | Should -BeNullOrEmpty
        $script:ExampleText | Should -Match "Import-DscResource -ModuleName 'VmmBackup' -ModuleVersion '0\.1\.0'"
    }

    It 'declares every resource with properties the harness accepts, each with a destination of its own' {
        $pattern = '(?ms)^        (?<type>Vmm\w+) (?<name>\w+)\r?\n        \{(?<body>.*?)^        \}'
        $blocks = [regex]::Matches($script:ExampleText, $pattern)
        @($blocks | ForEach-Object { $_.Groups['type'].Value }) | Should -Be @('VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan')
        $destinations = New-Object System.Collections.Generic.List[string]
        foreach ($block in $blocks) {
            # Read as data (the AST's SafeGetValue), never run.
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput('@{' + $block.Groups['body'].Value + '}', [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
            $hashtableAst = $ast.Find({ $args[0] -is [System.Management.Automation.Language.HashtableAst] }, $true)
            $properties = $hashtableAst.SafeGetValue()
            $properties.ContainsKey('DependsOn') | Should -BeFalse
            $destinations.Add([string]@($properties['Path'], $properties['Destination'] | Where-Object { $_ -is [string] })[0])
            Invoke-VmmDscResource -Name $block.Groups['type'].Value -Method Test -Property $properties | Should -BeOfType [bool]
        }
        # No destination is another's, nor inside another's.
        foreach ($a in $destinations) {
            foreach ($b in $destinations) {
                if ($a -ne $b) { $a.StartsWith($b + '\') | Should -BeFalse }
            }
        }
        @($destinations | Sort-Object -Unique).Count | Should -Be 4
    }
}
