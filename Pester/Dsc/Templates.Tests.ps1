<#
    The hand-written DSC classes, templates/dsc/*.ps1, are whole units: each file parses with PowerShell's parser
    (a type defined in another file, the base class or VmmReason, is the only thing it may leave unresolved) and
    defines exactly one class, named like the file; a resource class derives from VmmResourceBase and declares no
    DSC attribute or property (the generator adds those from the model).
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $templateCases = @(Get-ChildItem -Path (Join-Path $repoRoot 'templates/dsc') -Filter '*.ps1' -File | Sort-Object Name | ForEach-Object {
            @{ Name = $_.BaseName; Path = $_.FullName }
        })
    $resourceCases = @($templateCases | Where-Object { $_.Name -ne 'VmmResourceBase' })
}

Describe 'templates/dsc/<Name>.ps1' -ForEach $templateCases {
    BeforeAll {
        $tokens = $null
        $errors = $null
        $script:ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        $script:errors = @($errors)
        $script:types = @($script:ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.TypeDefinitionAst] }, $true))
    }

    It 'parses, leaving at most types of other files unresolved' {
        @($script:errors | Where-Object { $_.ErrorId -ne 'TypeNotFound' } | ForEach-Object { "$($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
        @($script:errors | Where-Object { $_.ErrorId -eq 'TypeNotFound' } | ForEach-Object { $_.Extent.Text.Trim('[', ']') } | Sort-Object -Unique) |
            ForEach-Object { $_ | Should -BeIn @('VmmResourceBase', 'VmmReason') }
    }

    It 'holds exactly one class, named like the file, and nothing else' {
        $script:types.Count | Should -Be 1
        $script:types[0].Name | Should -BeExactly $Name
        @($script:ast.EndBlock.Statements).Count | Should -Be 1
    }

}

Describe 'templates/dsc/<Name>.ps1, a resource class' -ForEach $resourceCases {
    It 'derives from VmmResourceBase and leaves the DSC attributes and properties to the model' {
        $script:types = @([System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null).FindAll({ param($node) $node -is [System.Management.Automation.Language.TypeDefinitionAst] }, $true))
        $script:types.Count | Should -Be 1
        @($script:types[0].BaseTypes | ForEach-Object { $_.TypeName.Name }) | Should -Be @('VmmResourceBase')
        @($script:types[0].Attributes).Count | Should -Be 0
        @($script:types[0].Members | Where-Object { $_ -is [System.Management.Automation.Language.PropertyMemberAst] }) | Should -BeNullOrEmpty
        @($script:types[0].Members | ForEach-Object { $_.Name }) | Should -Contain 'GetCurrentState'
    }
}
