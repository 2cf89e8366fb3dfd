<#
    QA of the generated module generated/VmmBackup as a whole: it imports and removes cleanly, its manifest is
    valid and exports exactly the Public/*.ps1 functions, every exported function has complete comment-based
    help and an approved verb, every function that changes state supports ShouldProcess, and every function
    marked not implemented says so with the error id 'VmmBackup.NotImplemented' instead of pretending.

    Verbs that only read or compute, so need no -WhatIf (everything else changes state and must support it):
        Get Test Compare Find Measure Resolve Search Show Read Format ConvertTo ConvertFrom Select Watch Wait
        Debug Trace Confirm Assert
    Export writes files, so it must support ShouldProcess like Backup, Restore, Set, Invoke and the rest.
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $moduleRoot = Join-Path $repoRoot 'generated/VmmBackup'
    $publicFiles = @(Get-ChildItem -Path (Join-Path $moduleRoot 'Public') -Filter '*.ps1' -File -ErrorAction SilentlyContinue | Sort-Object Name)
    $functionCases = foreach ($file in $publicFiles) {
        $text = [System.IO.File]::ReadAllText($file.FullName)
        @{
            Name              = $file.BaseName
            File              = $file.FullName
            # Builds the not-implemented error record itself (not merely mentions the id, as a caller may).
            ThrowsNotImplemented = $text -match "ErrorRecord\b[^\r\n]*'VmmBackup\.NotImplemented'"
            MarkedNotImplemented = $text -match '(?ms)^\s*\.NOTES\b.*?\bNot implemented\b'
        }
    }
    $notImplementedCases = @($functionCases | Where-Object { $_.MarkedNotImplemented -or $_.ThrowsNotImplemented })
}

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $moduleRoot = Join-Path $repoRoot 'generated/VmmBackup'
    $manifestPath = Join-Path $moduleRoot 'VmmBackup.psd1'
    $readOnlyVerbs = @(
        'Get', 'Test', 'Compare', 'Find', 'Measure', 'Resolve', 'Search', 'Show', 'Read', 'Format', 'ConvertTo',
        'ConvertFrom', 'Select', 'Watch', 'Wait', 'Debug', 'Trace', 'Confirm', 'Assert'
    )
    $commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
    # The VMM module resolves to the generated stubs, as the real one does on a VMM server.
    $savedModulePath = $env:PSModulePath
    $env:PSModulePath = (Join-Path $repoRoot 'generated/stubs') + [System.IO.Path]::PathSeparator + $env:PSModulePath
    $publicNames = @(Get-ChildItem -Path (Join-Path $moduleRoot 'Public') -Filter '*.ps1' -File -ErrorAction SilentlyContinue | ForEach-Object { $_.BaseName } | Sort-Object)
    Get-Module VmmBackup | Remove-Module -Force
}

AfterAll {
    Get-Module VmmBackup | Remove-Module -Force
    $env:PSModulePath = $savedModulePath
}

Describe 'VmmBackup module: loading' {
    It 'has a manifest and public functions to test' {
        $manifestPath | Should -Exist
        $publicNames.Count | Should -BeGreaterThan 0
    }

    It 'imports without errors or warnings and removes without a trace' {
        $imported = Import-Module $manifestPath -Force -PassThru -ErrorVariable importErrors -WarningVariable importWarnings -ErrorAction Continue -WarningAction Continue 3>$null
        @($importErrors).Count | Should -Be 0 -Because ($importErrors | Out-String)
        @($importWarnings).Count | Should -Be 0 -Because ($importWarnings | Out-String)
        $imported.Name | Should -Be 'VmmBackup'
        @(Get-Command -Module VmmBackup).Count | Should -BeGreaterThan 0

        Remove-Module VmmBackup -ErrorVariable removeErrors -ErrorAction Continue
        @($removeErrors).Count | Should -Be 0
        Get-Module VmmBackup | Should -BeNullOrEmpty
        @(Get-Command -Module VmmBackup -ErrorAction SilentlyContinue).Count | Should -Be 0
        foreach ($publicName in $publicNames) {
            Test-Path -LiteralPath ('function:' + $publicName) | Should -BeFalse -Because "$publicName must leave with the module"
        }
    }

    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $info.Name | Should -Be 'VmmBackup'
        $data = Import-PowerShellDataFile -Path $manifestPath
        $info.Version | Should -Be ([version]$data.ModuleVersion)
        $data.RootModule | Should -Be 'VmmBackup.psm1'
        [version]$data.PowerShellVersion | Should -BeLessOrEqual ([version]'5.1')
    }

    It 'exports exactly the Public/*.ps1 functions, and nothing by wildcard' {
        $data = Import-PowerShellDataFile -Path $manifestPath
        @($data.FunctionsToExport | Sort-Object) | Should -Be $publicNames
        foreach ($key in 'CmdletsToExport', 'AliasesToExport', 'VariablesToExport') {
            @($data[$key]) -contains '*' | Should -BeFalse -Because "$key must be explicit"
        }
        Import-Module $manifestPath -Force
        try {
            @((Get-Command -Module VmmBackup -CommandType Function).Name | Sort-Object) | Should -Be $publicNames
            @(Get-Command -Module VmmBackup -CommandType Cmdlet, Alias).Count | Should -Be 0
        } finally {
            Remove-Module VmmBackup -Force
        }
    }
}

Describe 'VmmBackup function <Name>' -ForEach $functionCases {
    BeforeAll {
        if (-not (Get-Module VmmBackup)) { Import-Module $manifestPath }
        $command = Get-Command -Name $Name -Module VmmBackup -ErrorAction Stop
        $help = Get-Help -Name $Name -Full -ErrorAction Stop
        $verb = $command.Verb
    }

    It 'has comment-based help whose dotted lines are all help keywords (any other one voids the whole block)' {
        $keywords = @('SYNOPSIS', 'DESCRIPTION', 'PARAMETER', 'EXAMPLE', 'INPUTS', 'OUTPUTS', 'NOTES', 'LINK', 'COMPONENT',
            'ROLE', 'FUNCTIONALITY', 'FORWARDHELPTARGETNAME', 'FORWARDHELPCATEGORY', 'REMOTEHELPRUNSPACE', 'EXTERNALHELP')
        $text = [System.IO.File]::ReadAllText($File)
        $block = [regex]::Match($text, '(?s)<#(.*?)#>')
        $block.Success | Should -BeTrue -Because 'the function needs a <# ... #> help comment'
        $lines = $block.Groups[1].Value -split '\r?\n'
        $bad = for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^\s*\.([A-Za-z]+)\b' -and $keywords -notcontains $Matches[1].ToUpperInvariant()) {
                "help line $($i + 1): '$($lines[$i].Trim())'"
            }
        }
        @($bad) | Should -BeNullOrEmpty
    }

    It 'has a synopsis and a description' {
        $synopsis = [string]$help.Synopsis
        $synopsis.Trim() | Should -Not -BeNullOrEmpty
        # Without comment-based help, Get-Help makes the synopsis from the syntax.
        $synopsis.Trim() | Should -Not -BeLike "$Name *"
        $synopsis.Trim() | Should -Not -Be $Name
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter' {
        $own = @($command.Parameters.Keys | Where-Object { $commonParameters -notcontains $_ })
        $documented = @{}
        foreach ($parameter in @($help.parameters.parameter)) {
            if ($null -eq $parameter) { continue }
            $documented[$parameter.name] = ($parameter.description | Out-String).Trim()
        }
        foreach ($parameterName in $own) {
            $documented[$parameterName] | Should -Not -BeNullOrEmpty -Because "-$parameterName of $Name needs a .PARAMETER description"
        }
    }

    It 'has at least one example with code' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        ($examples[0].code | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'uses an approved verb' {
        @(Get-Verb).Verb | Should -Contain $verb
    }

    It 'supports ShouldProcess when its verb changes state' {
        if ($readOnlyVerbs -notcontains $verb) {
            $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue -Because "$verb changes state"
            $command.Parameters.ContainsKey('Confirm') | Should -BeTrue -Because "$verb changes state"
        } else {
            $readOnlyVerbs | Should -Contain $verb
        }
    }

    It 'says it is not implemented in its help exactly when it throws VmmBackup.NotImplemented' {
        $MarkedNotImplemented | Should -Be $ThrowsNotImplemented
    }
}

# Defined only while some function is not implemented (an empty -ForEach is an error in Pester 6).
if ($notImplementedCases.Count -gt 0) {
    Describe 'Not-implemented function <Name>' -ForEach $notImplementedCases {
        BeforeAll {
            if (-not (Get-Module VmmBackup)) { Import-Module $manifestPath }
            $command = Get-Command -Name $Name -Module VmmBackup -ErrorAction Stop
            $password = ConvertTo-SecureString -String 'not-a-secret' -AsPlainText -Force
            $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\svc-test', $password

            # A valid value for each mandatory parameter of the default set, from its type and validation.
            $set = $command.ParameterSets | Where-Object { $_.IsDefault } | Select-Object -First 1
            if (-not $set) { $set = $command.ParameterSets | Select-Object -First 1 }
            $arguments = @{}
            foreach ($parameter in $set.Parameters) {
                if (-not $parameter.IsMandatory) { continue }
                $validateSet = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
                $validateRange = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] } | Select-Object -First 1
                $type = $parameter.ParameterType
                if ($validateSet) { $value = $validateSet.ValidValues[0] }
                elseif ($validateRange) { $value = $validateRange.MinRange }
                elseif ($type -eq [System.Management.Automation.PSCredential]) { $value = $credential }
                elseif ($type -eq [string]) { $value = Join-Path $TestDrive 'not-used' }
                elseif ($type -eq [string[]]) { $value = @(Join-Path $TestDrive 'not-used') }
                elseif ($type -eq [switch]) { $value = $true }
                elseif ($type -eq [object] -or $type -eq [object[]] -or $type -eq [psobject] -or $type -eq [psobject[]]) { $value = @([pscustomobject]@{ Name = 'not-used' }) }
                elseif ($type.IsValueType) { $value = [System.Activator]::CreateInstance($type) }
                else { throw "No test value for -$($parameter.Name) of type $($type.FullName)" }
                $arguments[$parameter.Name] = $value
            }
            if ($command.Parameters.ContainsKey('WhatIf')) { $arguments['WhatIf'] = $true }
        }

        It 'throws VmmBackup.NotImplemented when called' {
            { & $Name @arguments } | Should -Throw -ErrorId "VmmBackup.NotImplemented,$Name"
        }

        It 'names itself in the error message' {
            $message = $null
            try { & $Name @arguments } catch { $message = $_.Exception.Message }
            $message | Should -BeLike "*$Name*not implemented*"
        }
    }
}
