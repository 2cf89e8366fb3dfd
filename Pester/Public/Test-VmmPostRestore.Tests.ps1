BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Drill/VmmRestoreTestKit.psm1') -Force
    Import-VmmTestModule
    $ids = @('post-restore.alwayson', 'post-restore.wap', 'post-restore.consoles', 'post-restore.vm-templates', 'post-restore.hrm-provider', 'post-restore.addins', 'post-restore.driver-packages', 'post-restore.certificates')
    $procedures = InModuleScope VmmBackup { (Get-VmmProcedureData).Procedures }
}

AfterAll { Remove-VmmTestModule }

Describe 'Test-VmmPostRestore' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCVMTemplate {
            New-VmmStubObject Template @{ Name = 'Good' }
            New-VmmStubObject Template @{ Name = "No disk's ]" }
            New-VmmStubObject Template @{ Name = 'No OS' }
            New-VmmStubObject Template @{ Name = 'Disk gone' }
        }
        Set-VmmStubBehavior Get-SCVirtualHardDisk {
            param($Call)
            switch ($Call.BoundParameters['VMTemplate'].Name) {
                'Good' { New-VmmStubObject VirtualHardDisk @{ Name = 'w2016.vhdx'; State = 'Normal'; OperatingSystem = 'Windows Server 2016 Datacenter' } }
                'No OS' { New-VmmStubObject VirtualHardDisk @{ Name = 'data.vhdx'; State = 'Normal'; OperatingSystem = 'None' } }
                'Disk gone' { New-VmmStubObject VirtualHardDisk @{ Name = 'w2012.vhdx'; State = 'Missing'; OperatingSystem = 'Windows Server 2012 R2' } }
            }
        }
        Set-VmmStubBehavior Get-SCDriverPackage {
            New-VmmStubObject DriverPackage @{ Name = 'nic.inf'; State = 'Normal' }
            New-VmmStubObject DriverPackage @{ Name = 'raid.inf'; State = 'Missing' }
        }
        Set-VmmStubBehavior Get-SCVirtualMachine { New-TestVM 'web01' 'hv01' -Extra @{ ReplicationStatus = 'Replicating'; IsRecoveryVM = $false } }
        Set-VmmStubBehavior Get-SCVMHost { New-TestHost 'hv01'; New-TestHost 'hv02' }
    }

    It 'returns one result per post-restore check of the specification, in order, with the checklist as fix' {
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        $results.Id | Should -Be $ids
        foreach ($result in $results) {
            { Assert-VmmOutputSchema $result 'Test-VmmPostRestore' } | Should -Not -Throw
            $procedure = $procedures | Where-Object { $_.Id -eq $result.Id }
            $result.Check | Should -Be $procedure.Title
            if ($result.State -in 'Fail', 'ActionRequired') {
                foreach ($step in $procedure.Instructions) { $result.Fix | Should -Match ([regex]::Escape($step)) }
                $result.Fix | Should -Match '^1\. '
            }
        }
        @($results.State) | Should -Be @('ActionRequired', 'ActionRequired', 'ActionRequired', 'Fail', 'ActionRequired', 'ActionRequired', 'Fail', 'ActionRequired')
    }

    It 'names the VM templates whose operating-system disk is missing or wrong' {
        $templates = Test-VmmPostRestore -VMMServer vmm01 | Where-Object Id -EQ 'post-restore.vm-templates'
        $templates.Detail | Should -Match '3 of 4'
        $templates.Detail | Should -Match ([regex]::Escape("No disk's ] (no virtual hard disk)"))
        $templates.Detail | Should -Match 'No OS \(no virtual hard disk with an operating system\)'
        $templates.Detail | Should -Match 'Disk gone \(its virtual hard disk is missing'
        $templates.Detail | Should -Not -Match 'Good'
        $calls = @(Get-VmmStubCall -CommandName Get-SCVirtualHardDisk)
        $calls.Count | Should -Be 4
        $calls | ForEach-Object { $_.ParameterSetName | Should -Be 'Template' }
    }

    It 'names the driver packages that were not discovered, and the hosts whose certificates to review' {
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        ($results | Where-Object Id -EQ 'post-restore.driver-packages').Detail | Should -Match '1 of 2.*raid\.inf'
        ($results | Where-Object Id -EQ 'post-restore.certificates').Detail | Should -Match 'hv01, hv02'
        ($results | Where-Object Id -EQ 'post-restore.hrm-provider').Detail | Should -Match '1 virtual machine'
    }

    It 'passes the checks VMM can answer when all is well, and marks what does not apply' {
        Set-VmmStubBehavior Get-SCVMTemplate { New-VmmStubObject Template @{ Name = 'Good' } }
        Set-VmmStubBehavior Get-SCDriverPackage { }
        Set-VmmStubBehavior Get-SCVirtualMachine { New-TestVM 'web01' 'hv01' -Extra @{ ReplicationStatus = 'NotEnabled'; IsRecoveryVM = $false } }
        Set-VmmStubBehavior Get-SCVMHost { }
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        ($results | Where-Object Id -EQ 'post-restore.vm-templates').State | Should -Be 'Pass'
        ($results | Where-Object Id -EQ 'post-restore.vm-templates').Fix | Should -BeNullOrEmpty
        ($results | Where-Object Id -EQ 'post-restore.driver-packages').State | Should -Be 'NotApplicable'
        ($results | Where-Object Id -EQ 'post-restore.hrm-provider').State | Should -Be 'NotApplicable'
        ($results | Where-Object Id -EQ 'post-restore.certificates').State | Should -Be 'NotApplicable'
    }

    It 'reports a check VMM cannot answer as Fail with the error and the fix, and runs the others' {
        Set-VmmStubBehavior Get-SCDriverPackage { throw 'The library server is offline.' }
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        $results.Count | Should -Be 8
        $drivers = $results | Where-Object Id -EQ 'post-restore.driver-packages'
        $drivers.State | Should -Be 'Fail'
        $drivers.Detail | Should -Match 'library server is offline'
        $drivers.Fix | Should -Not -BeNullOrEmpty
    }

    It 'fails clearly when the VMM server does not answer' {
        Set-VmmStubBehavior Get-SCVMMServer { throw 'Connection refused.' }
        { Test-VmmPostRestore -VMMServer 'vmm01' } | Should -Throw "*Cannot connect to the VMM management server 'vmm01'*"
    }
}
