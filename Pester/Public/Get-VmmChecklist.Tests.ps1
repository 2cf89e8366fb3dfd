BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmChecklist' {
    BeforeAll { $all = @(Get-VmmChecklist) }

    It 'lists every item done by hand, with its instructions' {
        $all.Count | Should -BeGreaterThan 10
        foreach ($item in $all) {
            { Assert-VmmOutputSchema $item 'Get-VmmChecklist' } | Should -Not -Throw
            $item.Automated | Should -BeFalse -Because "$($item.Id) is on the checklist"
            @($item.Instructions).Count | Should -BeGreaterThan 0
        }
        @($all | ForEach-Object Id) | Should -Contain 'backup.dkm'
        @($all | ForEach-Object Id) | Should -Not -Contain 'backup.database'
    }

    It 'with -Kind <Kind> returns exactly the items of that kind' -ForEach @(
        @{ Kind = 'backup' }
        @{ Kind = 'restore' }
        @{ Kind = 'post-restore' }
        @{ Kind = 'check' }
    ) {
        $expected = @($all | Where-Object Kind -eq $Kind | ForEach-Object Id)
        @(Get-VmmChecklist -Kind $Kind | ForEach-Object Id) | Should -Be $expected
    }

    It 'the kinds together make up the whole checklist' {
        $byKind = @('backup', 'restore', 'post-restore', 'check' | ForEach-Object { Get-VmmChecklist -Kind $_ })
        $byKind.Count | Should -Be $all.Count
        @(Get-VmmChecklist -Kind post-restore).Count | Should -BeGreaterThan 0
    }

    It 'refuses a kind it does not know' {
        { Get-VmmChecklist -Kind weekly } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-VmmChecklist'
    }
}
