BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmCheckpointReport' {
    BeforeEach { Reset-VmmStub }

    It 'lists every checkpoint with the warning that checkpoints are not backups' {
        Set-VmmStubBehavior Get-SCVMCheckpoint {
            New-VmmStubObject VMCheckpoint @{ VM = (New-TestVM 'web01' 'hv01'); Name = 'before patch'; AddedTime = [datetime]'2026-11-01T10:00:00' }
            New-VmmStubObject VMCheckpoint @{ VM = (New-TestVM "o'brien];" 'hv01'); Name = 'cp2'; AddedTime = $null }
        }
        $results = @(Get-VmmCheckpointReport -VMMServer vmm01 -WarningVariable warnings -WarningAction SilentlyContinue)
        $results.Count | Should -Be 2
        foreach ($result in $results) {
            { Assert-VmmOutputSchema $result 'Get-VmmCheckpointReport' } | Should -Not -Throw
            $result.Warning | Should -Match 'not a backup'
        }
        $results[0].VMName | Should -Be 'web01'
        $results[0].Name | Should -Be 'before patch'
        $results[0].AddedTime | Should -Be ([datetime]'2026-11-01T10:00:00')
        $results[1].VMName | Should -Be "o'brien];"
        $results[1].AddedTime | Should -BeNullOrEmpty
        "$warnings" | Should -Match '2 checkpoint\(s\) found'
        (Get-VmmStubCall -CommandName Get-SCVMCheckpoint).ParameterSetName | Should -Be 'Connection'
    }

    It 'returns nothing and warns nothing when there are no checkpoints' {
        $results = Get-VmmCheckpointReport -VMMServer vmm01 -WarningVariable warnings
        $results | Should -BeNullOrEmpty
        $warnings | Should -BeNullOrEmpty
    }

    It 'fails clearly when VMM cannot list the checkpoints' {
        Set-VmmStubBehavior Get-SCVMCheckpoint { throw 'The operation timed out.' }
        { Get-VmmCheckpointReport -VMMServer vmm01 } | Should -Throw '*Cannot list the checkpoints*timed out*'
    }
}
