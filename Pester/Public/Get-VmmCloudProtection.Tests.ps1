BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmCloudProtection' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCCloud {
            New-VmmStubObject Cloud @{ Name = 'Gold' }
            New-VmmStubObject Cloud @{ Name = "Tenant's [cloud];" }
            New-VmmStubObject Cloud @{ Name = 'Empty' }
        }
        Set-VmmStubBehavior Get-SCVirtualMachine {
            param($Call)
            switch ($Call.BoundParameters['Cloud'].Name) {
                'Gold' {
                    New-TestVM 'web01' 'hv01' -Extra @{ ReplicationStatus = 'Replicating'; IsRecoveryVM = $false }
                    New-TestVM 'web02' 'hv01' -Extra @{ ReplicationStatus = 'NotEnabled'; IsRecoveryVM = $false }
                    New-TestVM 'db01' 'hv02' -Extra @{ ReplicationStatus = $null; IsRecoveryVM = $false }
                }
                "Tenant's [cloud];" {
                    New-TestVM 'app01' 'hv02' -Extra @{ ReplicationStatus = 'Replicating'; IsRecoveryVM = $false }
                    New-TestVM 'app01-replica' 'hv03' -Extra @{ ReplicationStatus = $null; IsRecoveryVM = $true }
                }
            }
        }
    }

    It 'reports per cloud how many VMs are replicated and names the unprotected ones' {
        $results = @(Get-VmmCloudProtection -VMMServer vmm01)
        $results.Count | Should -Be 3
        foreach ($result in $results) { { Assert-VmmOutputSchema $result 'Get-VmmCloudProtection' } | Should -Not -Throw }

        $gold = $results | Where-Object Cloud -EQ 'Gold'
        $gold.VirtualMachines | Should -Be 3
        $gold.Protected | Should -Be 1
        $gold.Unprotected | Should -Be 2
        $gold.UnprotectedNames | Should -Be @('web02', 'db01')
        $gold.Recommendation | Should -Match 'Enable replication in Azure Site Recovery for 2'

        $tenant = $results | Where-Object Cloud -EQ "Tenant's [cloud];"
        $tenant.Protected | Should -Be 2
        $tenant.Unprotected | Should -Be 0
        $tenant.Recommendation | Should -Match 'Every virtual machine'

        ($results | Where-Object Cloud -EQ 'Empty').VirtualMachines | Should -Be 0
    }

    It 'asks VMM for the VMs of each cloud with Get-SCVirtualMachine -Cloud' {
        $null = Get-VmmCloudProtection -VMMServer vmm01
        $calls = @(Get-VmmStubCall -CommandName Get-SCVirtualMachine)
        $calls.Count | Should -Be 3
        $calls | ForEach-Object { $_.ParameterSetName | Should -Be 'Cloud' }
    }

    It 'writes an error for a cloud it cannot read and reports the others' {
        Set-VmmStubBehavior Get-SCVirtualMachine {
            param($Call)
            if ($Call.BoundParameters['Cloud'].Name -eq 'Gold') { throw 'Cloud Gold is being updated.' }
        }
        $results = @(Get-VmmCloudProtection -VMMServer vmm01 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $results.Cloud | Should -Be @("Tenant's [cloud];", 'Empty')
        "$($errors[-1])" | Should -Match "cloud 'Gold'"
    }

    It 'fails clearly when the clouds cannot be listed' {
        Set-VmmStubBehavior Get-SCCloud { throw 'Insufficient rights.' }
        { Get-VmmCloudProtection -VMMServer vmm01 } | Should -Throw "*Cannot list the private clouds of the VMM management server 'vmm01'*Insufficient rights*"
    }
}
